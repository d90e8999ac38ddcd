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
import java.util.function.Function;

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
        return take(dir.resolve(FILE), false, holder -> "another sweep is writing into " + dir + holder + "; " + advice,
                "pid " + ProcessHandle.current().pid() + ", started " + Instant.now());
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
        return take(dir.resolve(FILE), true, holder -> "a whole sweep is writing into " + dir + holder
                + "; --only-index runs may not join it: wait for it to finish", null);
    }

    /**
     * Takes the lock of one run of the sweep in {@code dir} ({@code locks/<run-id>.lock}), so that
     * two processes never write the same run.
     *
     * @throws ConfigException when another process is running it
     */
    public static SweepLock acquireRun(Path dir, String runId) throws IOException {
        Path locks = Files.createDirectories(dir.resolve(LOCKS));
        return take(locks.resolve(runId + ".lock"), false,
                holder -> "run " + runId + " of " + dir + " is being run by another process" + holder + "; nothing was changed",
                "pid " + ProcessHandle.current().pid() + " on " + host() + ", started " + Instant.now());
    }

    /**
     * Locks {@code file} (created if needed) without waiting, and writes {@code me} into an
     * exclusive lock's file so that a refused process can say who holds it.
     *
     * @param refusal the message when the lock is held, given " (the holder's line)" or ""
     * @param me the holder's line, or null to leave the file as it is (a shared lock)
     * @throws ConfigException when another process (or this JVM) holds a conflicting lock
     */
    private static SweepLock take(Path file, boolean shared, Function<String, String> refusal, String me) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = ch.tryLock(0, Long.MAX_VALUE, shared);
        } catch (OverlappingFileLockException e) {
            lock = null; // held by this JVM
        }
        if (lock == null) {
            String holder = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).trim();
            ch.close();
            throw new ConfigException(refusal.apply(holder.isEmpty() ? "" : " (" + holder + ")"));
        }
        if (me != null) {
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(me.getBytes(StandardCharsets.UTF_8)), 0);
            ch.force(true);
        }
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
