package org.infodyn.engine.sweep;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

import org.infodyn.api.config.ConfigException;

/**
 * Keeps two sweeps from writing into one directory at once: an exclusive OS file lock on
 * {@code sweep.lock}, held while the sweep runs. The operating system releases it when the
 * process ends, however it ends (kill -9 included), so a stale lock never blocks a resume.
 */
public final class SweepLock implements AutoCloseable {
    /** The lock file's name. */
    public static final String FILE = "sweep.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private SweepLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock of {@code dir} (created if needed), for a sweep that will write there.
     *
     * @throws ConfigException when another process holds it, naming that process
     */
    public static SweepLock acquire(Path dir) throws IOException {
        return acquire(dir, "wait for it to finish, or choose another --out");
    }

    /**
     * Takes the lock of {@code dir} (created if needed).
     *
     * @param advice what the user can do when another process holds it, for the message
     * @throws ConfigException when another process holds it, naming that process
     */
    public static SweepLock acquire(Path dir, String advice) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(FILE);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held by this JVM
        }
        if (lock == null) {
            String holder = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).trim();
            ch.close();
            throw new ConfigException("another sweep is writing into " + dir + (holder.isEmpty() ? "" : " (" + holder + ")")
                    + "; " + advice);
        }
        String me = "pid " + ProcessHandle.current().pid() + ", started " + Instant.now();
        ch.truncate(0);
        ch.write(ByteBuffer.wrap(me.getBytes(StandardCharsets.UTF_8)), 0);
        ch.force(true);
        return new SweepLock(ch, lock);
    }

    /**
     * Takes a shared lock on the sweep of {@code dir}: held by each process that runs one run of
     * the sweep ({@code --only-index}); any number of them may hold it at once, while a whole
     * sweep (or a report) that takes the exclusive lock is refused until they have all ended.
     *
     * @throws ConfigException when a whole sweep is writing into {@code dir}
     */
    public static SweepLock acquireShared(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(FILE);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = ch.tryLock(0, Long.MAX_VALUE, true);
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            String holder = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).trim();
            ch.close();
            throw new ConfigException("a whole sweep is writing into " + dir + (holder.isEmpty() ? "" : " (" + holder + ")")
                    + "; --only-index runs may not join it: wait for it to finish");
        }
        return new SweepLock(ch, lock);
    }

    /**
     * Takes the lock of one run of the sweep in {@code dir} ({@code locks/<run-id>.lock}), so that
     * two processes never write the same run.
     *
     * @throws ConfigException when another process is running it
     */
    public static SweepLock acquireRun(Path dir, String runId) throws IOException {
        Path locks = Files.createDirectories(dir.resolve(LOCKS));
        Path file = locks.resolve(runId + ".lock");
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            String holder = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).trim();
            ch.close();
            throw new ConfigException("run " + runId + " of " + dir + " is being run by another process"
                    + (holder.isEmpty() ? "" : " (" + holder + ")") + "; nothing was changed");
        }
        String me = "pid " + ProcessHandle.current().pid() + " on " + host() + ", started " + Instant.now();
        ch.truncate(0);
        ch.write(ByteBuffer.wrap(me.getBytes(StandardCharsets.UTF_8)), 0);
        ch.force(true);
        return new SweepLock(ch, lock);
    }

    /** The folder of the per-run locks of {@link #acquireRun}. */
    public static final String LOCKS = "locks";

    private static String host() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "an unknown host";
        }
    }

    @Override
    public void close() throws IOException {
        lock.release();
        channel.close();
    }
}
