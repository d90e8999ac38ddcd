package org.infodyn.api.task;

import java.util.List;

import org.infodyn.api.config.ParamSpec;
import org.infodyn.api.config.Params;
import org.infodyn.api.data.Dataset;

/**
 * A source of data with a training target and probe variables: the second of infodyn's three
 * SPIs (e.g. {@code checkerboard}, {@code mnist-coarse}). Register implementations both with
 * {@code provides org.infodyn.api.task.Task with …} and in
 * {@code META-INF/services/org.infodyn.api.task.Task}.
 *
 * <p>Contract: the constructor is cheap (reads no files); {@link #create} is a pure function of
 * its parameters and seed — same arguments, same dataset, bit for bit — and draws every random
 * number from the given seed (use {@link org.infodyn.api.random.Rng}). Thread-safe.
 */
public interface Task {

    /** Stable id used in experiment files, e.g. {@code checkerboard}. */
    String id();

    /** One line for {@code infodyn tasks}. */
    String description();

    /** The parameters of the {@code task} block (besides {@code id}), with defaults. */
    List<ParamSpec> parameters();

    /**
     * Makes the dataset.
     *
     * @param params the bound {@code task} block (validated against {@link #parameters()})
     * @param seed the data seed (already derived from the run seed for this purpose)
     * @return inputs, variables and disjoint train / probe splits
     * @throws org.infodyn.api.config.ConfigException for parameter combinations that cannot
     *     work, or data files that are missing or malformed (naming the file)
     */
    Dataset create(Params params, long seed);
}
