package org.infodyn.engine.plugin;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeSet;
import java.util.function.Function;

import org.infodyn.api.backend.Backend;
import org.infodyn.api.config.ConfigException;
import org.infodyn.api.model.ModelFactory;
import org.infodyn.api.probe.Probe;
import org.infodyn.api.task.Task;

/**
 * The installed plugins: backends, tasks, probes and model factories, found with
 * {@link ServiceLoader} on the module path and the class path (a provider on the class path is
 * found only through its {@code META-INF/services} file). Loading a registry instantiates every
 * provider, which must be cheap (no native library, no files).
 *
 * <p>A provider that fails to load (a broken jar, a missing dependency) does not stop the
 * others; it is listed in {@link #problems()} and shown by {@code infodyn backends}. Two providers
 * of one id are an error ({@link ConfigException}, naming both classes and their jars) unless the
 * user chooses one with {@value #CHOICE_ENV} (or the system property {@value #CHOICE_PROPERTY}):
 * {@code kind:id=class}, comma-separated, e.g. {@code probe:usable-information=org.example.MyProbe}.
 */
public final class Registry {
    /** Environment variable naming the default backend. */
    public static final String BACKEND_ENV = "INFODYN_BACKEND";
    /** Environment variable choosing among providers of one id: {@code kind:id=class,…}. */
    public static final String CHOICE_ENV = "INFODYN_PLUGIN_CHOICE";
    /** System property with the same meaning as {@link #CHOICE_ENV} (it wins). */
    public static final String CHOICE_PROPERTY = "infodyn.plugin.choice";

    private final Map<String, Backend> backends;
    private final Map<String, Task> tasks;
    private final Map<String, Probe> probes;
    private final Map<String, ModelFactory> models;
    private final List<String> problems;

    private Registry(List<Backend> backends, List<Task> tasks, List<Probe> probes, List<ModelFactory> models,
            List<String> problems) {
        Map<String, String> choices = choices();
        this.backends = index("backend", backends, Backend::id, choices);
        this.tasks = index("task", tasks, Task::id, choices);
        this.probes = index("probe", probes, Probe::id, choices);
        this.models = index("model", models, ModelFactory::id, choices);
        this.problems = List.copyOf(problems);
    }

    /** Discovers every installed plugin. */
    public static Registry load() {
        List<String> problems = new ArrayList<>();
        return new Registry(discover(Backend.class, problems), discover(Task.class, problems),
                discover(Probe.class, problems), discover(ModelFactory.class, problems), problems);
    }

    /** A registry of exactly these plugins (for tests and embedding). */
    public static Registry of(List<Backend> backends, List<Task> tasks, List<Probe> probes, List<ModelFactory> models) {
        return new Registry(backends, tasks, probes, models, List.of());
    }

    private static <T> List<T> discover(Class<T> type, List<String> problems) {
        List<T> found = new ArrayList<>();
        Iterator<T> it = ServiceLoader.load(type, Registry.class.getClassLoader()).iterator();
        // The api module's own loader sees the class path (unnamed module) and, with `uses`, the
        // module path; the context loader adds plugins of an embedding application.
        while (true) {
            try {
                if (!it.hasNext()) {
                    break;
                }
                found.add(it.next());
            } catch (ServiceConfigurationError | LinkageError e) {
                problems.add(type.getSimpleName() + " provider failed to load: " + e.getMessage());
            }
        }
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        if (context != null && context != Registry.class.getClassLoader()) {
            Iterator<T> more = ServiceLoader.load(type, context).iterator();
            while (true) {
                try {
                    if (!more.hasNext()) {
                        break;
                    }
                    T t = more.next();
                    if (found.stream().noneMatch(f -> f.getClass() == t.getClass())) {
                        found.add(t);
                    }
                } catch (ServiceConfigurationError | LinkageError e) {
                    problems.add(type.getSimpleName() + " provider failed to load: " + e.getMessage());
                }
            }
        }
        return found;
    }

    /**
     * Indexes providers by id. Two providers of one id are an error unless a choice names one of
     * them: silently taking the first found would let a plugin shadow a built-in (or the reverse)
     * depending on the order of jars on the path.
     */
    private static <T> Map<String, T> index(String kind, List<T> items, Function<T, String> id, Map<String, String> choices) {
        Map<String, List<T>> byId = new LinkedHashMap<>();
        for (T t : items) {
            byId.computeIfAbsent(id.apply(t), k -> new ArrayList<>()).add(t);
        }
        Map<String, T> map = new LinkedHashMap<>();
        for (Map.Entry<String, List<T>> e : byId.entrySet()) {
            List<T> same = e.getValue();
            String chosen = choices.get(kind + ":" + e.getKey());
            if (chosen != null) {
                Optional<T> pick = same.stream().filter(t -> t.getClass().getName().equals(chosen)).findFirst();
                if (pick.isEmpty()) {
                    throw new ConfigException(CHOICE_ENV, "chooses " + chosen + " for " + kind + " '" + e.getKey() + "', but its providers are: "
                            + ConfigException.list(same.stream().map(Registry::describe).toList()));
                }
                map.put(e.getKey(), pick.get());
            } else if (same.size() > 1) {
                throw new ConfigException(same.size() + " plugins provide the " + kind + " id '" + e.getKey() + "': "
                        + ConfigException.list(same.stream().map(Registry::describe).toList()) + "; give yours another id, remove one "
                        + "jar, or choose one with " + CHOICE_ENV + "=" + kind + ":" + e.getKey() + "=<class>");
            } else {
                map.put(e.getKey(), same.get(0));
            }
        }
        return Collections.unmodifiableMap(map);
    }

    /** The user's choices, {@code kind:id → class}. */
    private static Map<String, String> choices() {
        String text = System.getProperty(CHOICE_PROPERTY, System.getenv(CHOICE_ENV));
        Map<String, String> out = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return out;
        }
        for (String item : text.split(",")) {
            String[] kv = item.trim().split("=", 2);
            if (kv.length != 2 || !kv[0].matches("(backend|task|probe|model):[^=:]+") || kv[1].isBlank()) {
                throw new ConfigException(CHOICE_ENV, "'" + item.trim() + "' is not kind:id=class (kind one of backend, task, probe, model), "
                        + "e.g. probe:usable-information=org.example.MyProbe");
            }
            out.put(kv[0], kv[1].trim());
        }
        return out;
    }

    /** A provider for messages: its class and the jar (or folder) it was loaded from. */
    public static String describe(Object plugin) {
        return plugin.getClass().getName() + " (" + origin(plugin) + ")";
    }

    /** The jar or classes folder a plugin was loaded from, as a path; {@code unknown} for one without a code source. */
    public static String origin(Object plugin) {
        CodeSource source = plugin.getClass().getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            return "unknown";
        }
        try {
            return Path.of(source.getLocation().toURI()).toString();
        } catch (URISyntaxException | IllegalArgumentException e) {
            return source.getLocation().toString();
        }
    }

    /** Problems met while loading (broken providers, duplicate ids); empty when all is well. */
    public List<String> problems() {
        return problems;
    }

    /** Installed backends, highest priority first. */
    public List<Backend> backends() {
        List<Backend> list = new ArrayList<>(backends.values());
        list.sort(Comparator.comparingInt(Backend::priority).reversed().thenComparing(Backend::id));
        return list;
    }

    /** Installed tasks by id. */
    public Map<String, Task> tasks() {
        return tasks;
    }

    /** Installed probes by id. */
    public Map<String, Probe> probes() {
        return probes;
    }

    /** Installed model factories by id. */
    public Map<String, ModelFactory> models() {
        return models;
    }

    /** A backend by id, or a {@link ConfigException} listing the installed ids. */
    public Backend backend(String id, String field) {
        return lookup(backends, id, field, "backend");
    }

    /** A task by id, or a {@link ConfigException} listing the installed ids. */
    public Task task(String id, String field) {
        return lookup(tasks, id, field, "task");
    }

    /** A probe by id, or a {@link ConfigException} listing the installed ids. */
    public Probe probe(String id, String field) {
        return lookup(probes, id, field, "probe");
    }

    /** A model factory by id, or a {@link ConfigException} listing the installed ids. */
    public ModelFactory model(String id, String field) {
        return lookup(models, id, field, "model");
    }

    private static <T> T lookup(Map<String, T> map, String id, String field, String kind) {
        T t = map.get(id);
        if (t == null) {
            throw new ConfigException(field, "unknown " + kind + " '" + id + "'; installed: "
                    + ConfigException.list(new TreeSet<>(map.keySet())));
        }
        return t;
    }

    /**
     * Chooses the backend for a run. An explicit choice beats discovery: the command-line flag,
     * then the experiment's {@code backend} field, then the {@value #BACKEND_ENV} environment
     * variable; otherwise the available backend with the highest priority.
     *
     * @param flag the {@code --backend} value, if given
     * @param experimentField the experiment's {@code backend} field, if given
     * @param env the environment variable's value, if set
     * @throws ConfigException for an unknown id (listing the installed ones), or when no
     *     backend is available at all
     */
    public BackendChoice chooseBackend(Optional<String> flag, Optional<String> experimentField, Optional<String> env) {
        if (flag.isPresent()) {
            return explicit(flag.get(), "--backend", "chosen with --backend");
        }
        if (experimentField.isPresent()) {
            return explicit(experimentField.get(), "backend", "named by the experiment's 'backend' field");
        }
        if (env.isPresent() && !env.get().isBlank()) {
            return explicit(env.get().trim(), BACKEND_ENV, "named by the environment variable " + BACKEND_ENV);
        }
        List<String> skipped = new ArrayList<>();
        for (Backend b : backends()) {
            Backend.Availability a = b.availability();
            if (a.available()) {
                String why = "highest priority (" + b.priority() + ") of the available backends";
                if (!skipped.isEmpty()) {
                    why += "; skipped " + String.join(", ", skipped);
                }
                return new BackendChoice(b, why);
            }
            skipped.add(b.id() + " (" + a.reason() + ")");
        }
        throw new ConfigException("no backend is installed" + (skipped.isEmpty() ? "" : " and available: " + skipped)
                + "; put a backend jar (e.g. infodyn-backend-djl) on the path");
    }

    private BackendChoice explicit(String id, String field, String why) {
        Backend b = backend(id, field);
        Backend.Availability a = b.availability();
        if (!a.available()) {
            throw new ConfigException(field, "backend '" + id + "' is installed but not available: " + a.reason());
        }
        return new BackendChoice(b, why);
    }

    /**
     * The backend chosen for a run and why.
     *
     * @param backend the chosen backend
     * @param reason why it was chosen, for {@code infodyn backends} and the manifest
     */
    public record BackendChoice(Backend backend, String reason) {
    }
}
