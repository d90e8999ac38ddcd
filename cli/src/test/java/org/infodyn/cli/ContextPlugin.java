package org.infodyn.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/**
 * Installs one test class as a plugin for the current thread, the way an embedding application
 * would: a jar holding the class and its {@code META-INF/services} line, on the thread's context
 * class loader. The class is defined from the jar, not taken from the test classes, because
 * ServiceLoader ignores a {@code META-INF/services} line naming a class of a named module (the
 * tests run on the module path). Closing restores the loader and deletes the jar.
 */
final class ContextPlugin implements AutoCloseable {
    private final Thread thread = Thread.currentThread();
    private final ClassLoader before = thread.getContextClassLoader();
    private final Path jar;
    private final URLClassLoader loader;

    private ContextPlugin(Class<?> spi, Class<?> implementation) throws IOException {
        jar = Files.createTempFile("context-plugin", ".jar");
        String name = implementation.getName();
        try (var out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry("META-INF/services/" + spi.getName()));
            out.write((name + "\n").getBytes(StandardCharsets.UTF_8));
            // the class and its anonymous classes ($1, $2, …), which must come from the same loader
            for (int i = 0;; i++) {
                String classFile = (i == 0 ? name : name + "$" + i).replace('.', '/') + ".class";
                try (InputStream bytes = implementation.getResourceAsStream("/" + classFile)) {
                    if (bytes == null) {
                        break;
                    }
                    out.putNextEntry(new JarEntry(classFile));
                    bytes.transferTo(out);
                }
            }
        }
        loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, before) {
            @Override
            protected Class<?> loadClass(String className, boolean resolve) throws ClassNotFoundException {
                if (!className.equals(name) && !className.startsWith(name + "$")) {
                    return super.loadClass(className, resolve);
                }
                synchronized (getClassLoadingLock(className)) {
                    Class<?> c = findLoadedClass(className);
                    return c != null ? c : findClass(className);
                }
            }
        };
        thread.setContextClassLoader(loader);
    }

    /** Makes {@code implementation} a provider of {@code spi} for this thread until closed. */
    static ContextPlugin install(Class<?> spi, Class<?> implementation) {
        try {
            return new ContextPlugin(spi, implementation);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        thread.setContextClassLoader(before);
        loader.close();
        Files.deleteIfExists(jar);
    }
}
