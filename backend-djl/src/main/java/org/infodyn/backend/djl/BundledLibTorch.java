package org.infodyn.backend.djl;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * PyTorch's CUDA build as the GPU build ships it (pytorch-native-cu124), unpacked by infodyn and
 * handed to DJL as {@code PYTORCH_LIBRARY_PATH}.
 *
 * <p>Why not DJL's own unpacking: DJL uses a bundled CUDA build only when it finds a CUDA runtime
 * on the machine itself ({@code libcudart}, through JNA), and otherwise downloads a CPU build,
 * which offline fails. PyTorch's CUDA build brings its own runtime and needs only the NVIDIA
 * driver, and it loads and runs on the CPU of a machine without one, so infodyn unpacks it and
 * names version and flavour itself: the same library loads on every machine.
 */
final class BundledLibTorch {
    private static final String PROPERTIES = "native/lib/pytorch.properties";

    /** The bundled build's {@code version} (e.g. {@code 2.5.1}), {@code flavor} ({@code cu124}), {@code classifier}. */
    record Build(String version, String flavor, String classifier, String[] libraries) {
        boolean isCuda() {
            return flavor.startsWith("cu");
        }
    }

    private BundledLibTorch() {
    }

    /** Read once: the class path does not change, and flavour and CUDA version are asked for often. */
    private static final Optional<Build> ON_CLASS_PATH = read();

    /** The PyTorch native build on the class path, if any. */
    static Optional<Build> onClassPath() {
        return ON_CLASS_PATH;
    }

    private static Optional<Build> read() {
        try (InputStream in = BundledLibTorch.class.getClassLoader().getResourceAsStream(PROPERTIES)) {
            if (in == null) {
                return Optional.empty();
            }
            Properties p = new Properties();
            p.load(in);
            String version = p.getProperty("version", "");
            int dash = version.indexOf('-'); // 2.5.1-20241113: the build date follows
            return Optional.of(new Build(dash > 0 ? version.substring(0, dash) : version, p.getProperty("flavor", ""),
                    p.getProperty("classifier", ""), p.getProperty("libraries", "").split(",")));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Unpacks {@code build}'s libraries into {@code cache/pytorch/<version>-<flavor>-<classifier>-infodyn}
     * once, and returns that folder.
     */
    static Path unpack(Build build, Path cache) {
        Path dir = cache.resolve("pytorch").resolve(build.version() + "-" + build.flavor() + "-" + build.classifier() + "-infodyn");
        return once(dir, "could not unpack PyTorch " + build.version() + " (" + build.flavor() + ")", tmp -> {
            for (String lib : build.libraries()) {
                String name = lib.strip();
                if (name.isEmpty()) {
                    continue;
                }
                String resource = "pytorch/" + build.flavor() + "/" + build.classifier() + "/" + name;
                try (InputStream in = BundledLibTorch.class.getClassLoader().getResourceAsStream(resource)) {
                    if (in == null) {
                        throw new IOException("the PyTorch jar lists " + name + " but does not contain " + resource);
                    }
                    Files.copy(in, tmp.resolve(name));
                }
            }
        });
    }

    /** The one library of the CUDA build that links the NVIDIA driver itself (CUDA's run-time compiler glue). */
    static final String DRIVER_LINKED = "libcaffe2_nvrtc.so";

    /**
     * For a machine without the NVIDIA driver: the libraries but {@link #DRIVER_LINKED}, which
     * DJL would load and fail on (it skips a library that is absent; PyTorch opens that one only
     * to compile kernels on a GPU).
     */
    static Path withoutDriver(Path unpacked) {
        return leavingOut(unpacked, "-nodriver", name -> name.equals(DRIVER_LINKED));
    }

    /**
     * Loads the cuDNN that infodyn's GPU build ships for TensorFlow (JavaCPP's
     * {@code org.bytedeco:cuda}, cuDNN 9.5), where it is on the class path and a driver is
     * present. One process can hold one {@code libcudnn.so.9}: PyTorch 2.5.1 brings cuDNN 9.1,
     * TensorFlow 2.18 refuses anything older than the 9.3 it was built with, and PyTorch runs on
     * a newer 9.x. So PyTorch uses the shared one ({@link #withSharedCudnn}).
     *
     * @return whether it is loaded
     */
    static boolean loadSharedCudnn() {
        try {
            Class<?> cudnn = Class.forName("org.bytedeco.cuda.global.cudnn", false, BundledLibTorch.class.getClassLoader());
            Class<?> loader = Class.forName("org.bytedeco.javacpp.Loader", true, BundledLibTorch.class.getClassLoader());
            loader.getMethod("load", Class.class).invoke(null, cudnn);
            return true;
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return false;
        }
    }

    /** The libraries but PyTorch's own cuDNN, for a process that loaded the shared one ({@link #loadSharedCudnn}). */
    static Path withSharedCudnn(Path unpacked) {
        return leavingOut(unpacked, "-sharedcudnn", name -> name.startsWith("libcudnn"));
    }

    /** A sibling of {@code unpacked} with links to its libraries but those {@code leaveOut} names. */
    private static Path leavingOut(Path unpacked, String suffix, Predicate<String> leaveOut) {
        Path dir = unpacked.resolveSibling(unpacked.getFileName() + suffix);
        return once(dir, "could not prepare PyTorch's libraries", tmp -> {
            try (Stream<Path> libs = Files.list(unpacked)) {
                for (Path lib : libs.filter(f -> !f.getFileName().toString().startsWith(".")).toList()) {
                    if (!leaveOut.test(lib.getFileName().toString())) {
                        Files.createSymbolicLink(tmp.resolve(lib.getFileName()), lib);
                    }
                }
            }
        });
    }

    /** Fills a folder. */
    private interface Filler {
        void fill(Path folder) throws IOException;
    }

    /**
     * {@code dir}, filled once. One process fills it (a lock file beside it), in a temporary
     * sibling that is marked complete and then renamed: the others wait and find it done, and a
     * fill that was killed leaves nothing under that name (its temporary folder is removed by the
     * next fill).
     */
    private static Path once(Path dir, String failure, Filler filler) {
        Path done = dir.resolve(".complete");
        if (Files.exists(done)) {
            return dir;
        }
        String prefix = ".fill-" + dir.getFileName() + "-";
        try {
            Files.createDirectories(dir.getParent());
            try (FileChannel channel = FileChannel.open(dir.resolveSibling(dir.getFileName() + ".lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock lock = channel.lock()) {
                if (Files.exists(done)) {
                    return dir;
                }
                try (Stream<Path> stale = Files.list(dir.getParent())) { // left by fills that were killed
                    for (Path p : stale.filter(p -> p.getFileName().toString().startsWith(prefix) || p.equals(dir)).toList()) {
                        delete(p);
                    }
                }
                Path tmp = Files.createTempDirectory(dir.getParent(), prefix);
                try {
                    filler.fill(tmp);
                    Files.createFile(tmp.resolve(".complete"));
                    Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
                } finally {
                    delete(tmp);
                }
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(failure + " in " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void delete(Path tree) throws IOException {
        if (!Files.exists(tree)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(tree)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
