package org.infodyn.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Pattern;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;

/**
 * Keeps the backends' libraries' own chatter off the terminal unless {@code --verbose}.
 * <ul>
 *   <li>TensorFlow's C++ core logs through Abseil straight to file descriptor 2 ("All log messages
 *       before absl::InitializeLog() is called are written to STDERR", "MLIR V1 optimization pass is
 *       not enabled"), ignoring {@code TF_CPP_MIN_LOG_LEVEL}; no Java setting reaches it. So
 *       descriptor 2 becomes a pipe whose lines are copied to the real stderr, except Abseil's INFO
 *       and WARNING lines, and the GPU build's "Unable to register cuDNN factory" errors, which
 *       TensorFlow prints at every start though nothing is wrong; PyTorch's INFO and WARNING lines (DJL)
 *       likewise; other errors and everything else pass.
 *   <li>JavaCPP prints "Warning: Versions of org.bytedeco:javacpp:1.5.11 and
 *       org.bytedeco:openblas:0.3.19-1.5.7 do not match." through {@code System.err} with no switch
 *       to turn it off (ND4J's natives run on the JavaCPP TensorFlow needs: DESIGN §12). Java's
 *       {@code System.err} drops that line and passes everything else at once, so progress lines are
 *       not delayed.
 * </ul>
 */
final class NativeStderr {
    /**
     * Abseil's INFO and WARNING lines ({@code I1204 15:40:57.123456  12977 file.cc:401] …}; before Abseil is
     * initialised the time reads {@code 00:00:1796399124.569026}) and its pre-init notice, and PyTorch's
     * ({@code [W1207 14:00:25.346308675 file.cpp:57] …}).
     */
    private static final Pattern NOISE = Pattern.compile("WARNING: All log messages before absl::InitializeLog\\(\\) is called are "
            + "written to STDERR|[IW]\\d{4} \\d\\d:\\d\\d:\\d+\\.\\d+ +\\d+ [^ \\]]+:\\d+\\] .*"
            // PyTorch's (c10) INFO and WARNING lines, e.g. "[W1207 14:00:25.346308675 NNPACK.cpp:57] Could not
            // initialize NNPACK! Reason: Unsupported hardware." (DJL, small convolution batches; PyTorch falls back)
            // (its date is month·100 + day unpadded: three digits from January to September)
            + "|\\[[IW]\\d{3,4} \\d\\d:\\d\\d:\\d+\\.\\d+ [^ \\]]+:\\d+\\] .*"
            // TensorFlow's GPU build, at every start, harmless (its CUDA plugins register twice)
            + "|.*\\] Unable to register cu(FFT|DNN|BLAS) factory: Attempting to register factory for plugin cu\\w+ when one has "
            + "already been registered");

    /** The few C functions needed. */
    interface LibC extends Library {
        int pipe(int[] fds);

        int dup(int fd);

        int dup2(int from, int to);

        int close(int fd);

        NativeLong read(int fd, byte[] buffer, NativeLong count);

        NativeLong write(int fd, byte[] buffer, NativeLong count);
    }

    private NativeStderr() {
    }

    /** JavaCPP's version note, as {@code System.err} receives it. */
    private static final String JAVACPP_NOTE = "Warning: Versions of org.bytedeco:javacpp:";

    /** Whether a whole line (without its newline) is native log chatter. */
    static boolean isNoise(String line) {
        return NOISE.matcher(line).matches();
    }

    /** Whether a whole line written through {@code System.err} is a library's harmless note. */
    static boolean isJavaNoise(String line) {
        return line.startsWith(JAVACPP_NOTE) && line.contains(" do not match");
    }

    /** Installs the filter; where it cannot (no libc, an odd platform) stderr stays as it is. */
    static void filter() {
        if (!Platform.isLinux() && !Platform.isMac() || !filterDescriptor()) {
            System.setErr(new PrintStream(new NoteFilter(System.err), true, StandardCharsets.UTF_8));
        }
    }

    /** Puts the pipe on descriptor 2; false when it cannot (then only Java's stream is filtered). */
    private static boolean filterDescriptor() {
        LibC c;
        int real;
        int[] fds = new int[2];
        try {
            c = Native.load("c", LibC.class);
            real = c.dup(2);
            if (real < 0 || c.pipe(fds) != 0) {
                return false;
            }
            if (c.dup2(fds[1], 2) < 0) {
                c.close(fds[0]);
                c.close(fds[1]);
                return false;
            }
            c.close(fds[1]);
        } catch (LinkageError | RuntimeException e) {
            return false; // JNA cannot load here: leave the descriptor alone
        }
        System.setErr(new PrintStream(new NoteFilter(new FdOutputStream(c, real)), true, StandardCharsets.UTF_8));
        Thread pump = new Thread(() -> pump(c, fds[0], real), "infodyn-native-stderr");
        pump.setDaemon(true);
        pump.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            c.close(2); // the pipe's last writer: the pump sees the end, forwards what is left and stops
            try {
                pump.join(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "infodyn-native-stderr-flush"));
        return true;
    }

    /** Copies the pipe's lines to the real stderr, leaving out the noise. */
    private static void pump(LibC c, int from, int to) {
        byte[] buffer = new byte[8192];
        ByteArrayOutputStream pending = new ByteArrayOutputStream();
        while (true) {
            long n = c.read(from, buffer, new NativeLong(buffer.length)).longValue();
            if (n <= 0) {
                break;
            }
            for (int i = 0; i < n; i++) {
                pending.write(buffer[i]);
                if (buffer[i] == '\n') {
                    byte[] bytes = pending.toByteArray();
                    pending.reset();
                    String text = new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
                    if (!isNoise(text.endsWith("\r") ? text.substring(0, text.length() - 1) : text)) {
                        c.write(to, bytes, new NativeLong(bytes.length));
                    }
                }
            }
        }
        if (pending.size() > 0) {
            byte[] rest = pending.toByteArray();
            c.write(to, rest, new NativeLong(rest.length));
        }
    }

    /**
     * Drops {@link #isJavaNoise} lines and passes everything else through at once: bytes are held
     * only while the line so far could still become the note.
     */
    private static final class NoteFilter extends OutputStream {
        private final OutputStream out;
        private final ByteArrayOutputStream held = new ByteArrayOutputStream();
        private boolean passing;

        NoteFilter(OutputStream out) {
            this.out = out;
        }

        @Override
        public synchronized void write(int b) throws IOException {
            if (passing) {
                out.write(b);
                passing = b != '\n';
                return;
            }
            held.write(b);
            String line = held.toString(StandardCharsets.UTF_8);
            if (b == '\n') {
                if (!isJavaNoise(line.strip())) {
                    held.writeTo(out);
                }
                held.reset();
            } else if (!(JAVACPP_NOTE.startsWith(line) || line.startsWith(JAVACPP_NOTE))) {
                held.writeTo(out); // not the note: let it through now (a progress line ends in \r, not \n)
                held.reset();
                passing = true;
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            int i = off;
            int end = off + len;
            while (i < end) {
                if (!passing) {
                    write(b[i++]);
                    continue;
                }
                int stop = i;
                while (stop < end && b[stop] != '\n') {
                    stop++;
                }
                passing = stop == end; // a newline ends the line: the next one is looked at again
                stop = Math.min(end, stop + 1);
                out.write(b, i, stop - i);
                i = stop;
            }
        }

        @Override
        public synchronized void flush() throws IOException {
            out.flush();
        }
    }

    /** An output stream onto a raw file descriptor. */
    private static final class FdOutputStream extends OutputStream {
        private final LibC c;
        private final int fd;

        FdOutputStream(LibC c, int fd) {
            this.c = c;
            this.fd = fd;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            byte[] chunk = off == 0 && len == b.length ? b : Arrays.copyOfRange(b, off, off + len);
            int done = 0;
            while (done < chunk.length) {
                byte[] rest = done == 0 ? chunk : Arrays.copyOfRange(chunk, done, chunk.length);
                long w = c.write(fd, rest, new NativeLong(rest.length)).longValue();
                if (w <= 0) {
                    return; // stderr is gone (a closed pipe): nothing more to say
                }
                done += (int) w;
            }
        }
    }
}
