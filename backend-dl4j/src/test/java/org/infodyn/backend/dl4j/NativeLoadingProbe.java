package org.infodyn.backend.dl4j;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.infodyn.api.backend.BackendUnavailableException;

/**
 * Run by {@link NativeLoadingTest} in a fresh JVM: touches the backend the way discovery does,
 * then asks it to load its natives twice, and prints what happened, one {@code key=value} a line.
 */
final class NativeLoadingProbe {
    private NativeLoadingProbe() {
    }

    public static void main(String[] args) throws IOException {
        Dl4jBackend backend = new Dl4jBackend();
        System.out.println("id=" + backend.id() + " priority=" + backend.priority() + " kinds=" + backend.supportedLayerKinds().size());
        System.out.println("available=" + backend.availability().available());
        System.out.println("nativesBeforeDescribe=" + nativesMapped());
        for (int i = 0; i < 2; i++) {
            try {
                System.out.println("describe=" + backend.describe().versions());
            } catch (BackendUnavailableException e) {
                System.out.println("unavailable=" + e.getMessage());
            }
        }
        System.out.println("nativesAfterDescribe=" + nativesMapped());
    }

    /** Whether ND4J's native library is mapped into this process. */
    private static boolean nativesMapped() throws IOException {
        return Files.readString(Path.of("/proc/self/maps")).contains("libnd4jcpu");
    }
}
