package org.infodyn.testkit;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

/**
 * Checks that a plugin is registered both ways, as infodyn finds plugins in both: on the class
 * path (how {@code ./infodyn} launches) only through a {@code META-INF/services/<service>} line,
 * on the module path only through a {@code provides <service> with <provider>} line in
 * {@code module-info.java}. A plugin registered one way only passes its own module-path tests and
 * is then invisible to the launcher, so the compatibility kits check both by reading the files
 * of the plugin's own jar (or classes folder), wherever it sits.
 */
public final class Registration {
    private Registration() {
    }

    /**
     * Throws an {@link AssertionError} naming the missing line unless {@code provider} is
     * registered as a {@code service} in its {@code META-INF/services} file and, when its jar
     * is a named module (has a {@code module-info.class}), in its module descriptor too.
     */
    public static void assertRegistered(Class<?> service, Class<?> provider) {
        problem(service, provider).ifPresent(p -> {
            throw new AssertionError(p);
        });
    }

    /** What is missing from the registration of {@code provider} as a {@code service}, if anything. */
    public static Optional<String> problem(Class<?> service, Class<?> provider) {
        Path origin = origin(provider);
        String servicesFile = "META-INF/services/" + service.getName();
        Optional<String> services = read(origin, servicesFile);
        List<String> lines = services.map(Registration::providerLines).orElse(List.of());
        if (!lines.contains(provider.getName())) {
            return Optional.of(origin + ": " + servicesFile + (services.isPresent() ? " lacks the line " : " is missing; it needs the line ")
                    + provider.getName() + " (without it the launcher, which uses the class path, does not find the plugin)");
        }
        Optional<ModuleDescriptor> descriptor = descriptor(origin);
        if (descriptor.isPresent() && descriptor.get().provides().stream()
                .noneMatch(p -> p.service().equals(service.getName()) && p.providers().contains(provider.getName()))) {
            return Optional.of(origin + ": module-info.java of module " + descriptor.get().name() + " lacks 'provides "
                    + service.getName() + " with " + provider.getName() + ";' (without it the plugin is not found on the module path)");
        }
        return Optional.empty();
    }

    /** The lines of a services file that name providers: comments ({@code #…}) and blanks removed. */
    private static List<String> providerLines(String text) {
        return text.lines().map(l -> l.replaceFirst("#.*", "").strip()).filter(l -> !l.isEmpty()).toList();
    }

    /** The jar or classes folder the class was loaded from. */
    private static Path origin(Class<?> type) {
        CodeSource source = type.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            throw new AssertionError(type.getName() + " has no code source: it was not loaded from a jar or a classes folder");
        }
        try {
            return Path.of(source.getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new AssertionError("cannot locate " + type.getName() + ": " + e.getMessage(), e);
        }
    }

    private static Optional<String> read(Path origin, String entry) {
        return bytes(origin, entry).map(b -> new String(b, StandardCharsets.UTF_8));
    }

    private static Optional<ModuleDescriptor> descriptor(Path origin) {
        return bytes(origin, "module-info.class").map(b -> {
            try (InputStream in = new ByteArrayInputStream(b)) {
                return ModuleDescriptor.read(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static Optional<byte[]> bytes(Path origin, String entry) {
        try {
            if (Files.isDirectory(origin)) {
                Path file = origin.resolve(entry);
                return Files.isRegularFile(file) ? Optional.of(Files.readAllBytes(file)) : Optional.empty();
            }
            try (JarFile jar = new JarFile(origin.toFile())) {
                ZipEntry e = jar.getEntry(entry);
                if (e == null) {
                    return Optional.empty();
                }
                try (InputStream in = jar.getInputStream(e)) {
                    return Optional.of(in.readAllBytes());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + entry + " in " + origin, e);
        }
    }
}
