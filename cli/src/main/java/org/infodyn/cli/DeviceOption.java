package org.infodyn.cli;

import java.util.ArrayList;
import java.util.List;

import picocli.CommandLine.Option;

/**
 * {@code --device}, shared by the commands that train: shorthand for {@code --set device=…}, so
 * the value is checked, reported and recorded exactly as the experiment's own field is.
 */
final class DeviceOption {
    @Option(names = "--device", paramLabel = "DEVICE", description = "auto (a GPU where the backend has one, else the CPU), "
            + "cpu, gpu or gpu:N; overrides the experiment's 'device' (GPUs need the GPU build: INFODYN_GPU=1)")
    String device;

    /** The {@code --set} overrides with this option's, which comes last and so wins. */
    List<String> withOverrides(List<String> sets) {
        if (device == null) {
            return sets;
        }
        List<String> all = new ArrayList<>(sets);
        all.add("device=" + device);
        return all;
    }
}
