package org.infodyn.api.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Device requests, their resolution against what a backend lists, and the GPUs nvidia-smi describes. */
class DevicesTest {
    private static final DeviceInfo CPU = new DeviceInfo("cpu", "Some CPU", 1L << 34, "", "", "");
    private static final DeviceInfo GPU0 = new DeviceInfo("gpu:0", "NVIDIA H200", 150_000L << 20, "9.0", "550.54", "12.4");
    private static final DeviceInfo GPU1 = new DeviceInfo("gpu:1", "NVIDIA H200", 150_000L << 20, "9.0", "550.54", "12.4");

    private static BackendInfo info(List<DeviceInfo> devices, String gpuNote) {
        return new BackendInfo(Map.of("lib", "1"), devices, true, gpuNote.isEmpty() ? Map.of() : Map.of(BackendInfo.GPU_NOTE, gpuNote));
    }

    private static DeviceInfo resolve(String request, BackendInfo info) {
        return new BuildOptions(request, 1).resolve("x", info);
    }

    @Test
    void requestsAreAutoCpuGpuOrGpuN() {
        for (String ok : List.of("auto", "cpu", "gpu", "gpu:0", "gpu:12", "GPU:1", " cpu ")) {
            assertThat(new BuildOptions(ok, 1).device()).isIn("auto", "cpu", "gpu", "gpu:0", "gpu:12", "gpu:1");
        }
        for (String bad : List.of("tpu", "gpu:", "gpu:-1", "gpu:x", "cuda", "gpu0", "")) {
            assertThatThrownBy(() -> new BuildOptions(bad, 1)).hasMessageContaining("[auto, cpu, gpu, gpu:N]");
        }
        assertThat(new BuildOptions("gpu:3", 1).gpuIndex()).hasValue(3);
        assertThat(new BuildOptions("gpu", 1).gpuIndex()).isEmpty();
        assertThat(new BuildOptions("gpu", 1).wantsGpu()).isTrue();
        assertThat(new BuildOptions("auto", 1).wantsGpu()).isFalse();
    }

    @Test
    void autoTakesTheFirstGpuElseTheCpu() {
        assertThat(resolve("auto", info(List.of(CPU, GPU0, GPU1), ""))).isEqualTo(GPU0);
        assertThat(resolve("auto", info(List.of(CPU), "no driver"))).isEqualTo(CPU);
        assertThat(resolve("cpu", info(List.of(CPU, GPU0), ""))).isEqualTo(CPU);
        assertThat(resolve("gpu", info(List.of(CPU, GPU0, GPU1), ""))).isEqualTo(GPU0);
        assertThat(resolve("gpu:1", info(List.of(CPU, GPU0, GPU1), ""))).isEqualTo(GPU1);
    }

    @Test
    void aMissingDeviceIsRefusedWithWhatThereIsAndWhy() {
        assertThatThrownBy(() -> resolve("gpu", info(List.of(CPU), "this machine has no NVIDIA driver")))
                .isInstanceOf(BackendUnavailableException.class)
                .hasMessage("device gpu was requested, but backend x cannot run on a GPU here: this machine has no NVIDIA driver; "
                        + "use device: cpu or auto");
        assertThatThrownBy(() -> resolve("gpu:2", info(List.of(CPU, GPU0, GPU1), "")))
                .hasMessage("device gpu:2 was requested but backend x has [cpu, gpu:0, gpu:1]; use one of those");
        assertThatThrownBy(() -> resolve("cpu", info(List.of(GPU0), "GPU only")))
                .hasMessageContaining("device cpu was requested but backend x has [gpu:0]: GPU only");
        assertThatThrownBy(() -> resolve("auto", info(List.of(), ""))).hasMessageContaining("device cpu");
    }

    @Test
    void aDeviceDescribesOnlyWhatIsKnown() {
        assertThat(GPU0.describe()).isEqualTo("gpu:0 NVIDIA H200, 146.5 GiB, compute 9.0, driver 550.54, CUDA 12.4");
        assertThat(GPU0.toMap()).containsExactly(Map.entry("id", "gpu:0"), Map.entry("name", "NVIDIA H200"),
                Map.entry("memory_bytes", 150_000L << 20), Map.entry("compute_capability", "9.0"), Map.entry("driver_version", "550.54"),
                Map.entry("cuda_version", "12.4"));
        assertThat(new DeviceInfo("gpu:4", "", 0, "", "", "").toMap()).containsOnlyKeys("id");
        assertThat(new DeviceInfo("gpu:4", "", 0, "", "", "12.4").withUnknownsFrom(1L << 30, "9.0"))
                .isEqualTo(new DeviceInfo("gpu:4", "", 1L << 30, "9.0", "", "12.4"));
        assertThat(GPU0.withUnknownsFrom(1, "1.0")).as("known facts stay").isEqualTo(GPU0);
        assertThat(GPU1.gpuIndex()).hasValue(1);
        assertThat(CPU.gpuIndex()).isEmpty();
        assertThatThrownBy(() -> new DeviceInfo("cuda:0", "", 0, "", "", "")).hasMessageContaining("cpu or gpu:N");
        DeviceInfo host = DeviceInfo.hostCpu();
        assertThat(host.isGpu()).isFalse();
        assertThat(host.name()).contains("hardware threads");
    }

    private static final String SMI = """
            0, GPU-1a2b3c4d-0000-1111-2222-333344445555, NVIDIA H200, 143771, 550.54.15
            1, GPU-9f8e7d6c-0000-1111-2222-333344445555, NVIDIA H200, 143771, 550.54.15
            2, GPU-77aa88bb-0000-1111-2222-333344445555, NVIDIA A100-SXM4-80GB, 81920, 550.54.15
            """;
    private static final String CAPS = "0, 9.0\n1, 9.0\n2, 8.0\n";

    @Test
    @SuppressWarnings({"unchecked", "rawtypes", "deprecation"})
    void pluginsBuiltBeforeDeviceInfoStillWork() {
        List names = List.of("cpu", "gpu(1)"); // what they passed: device names, in a list of the same erased type
        BackendInfo old = new BackendInfo(Map.of("lib", "1"), names, true, Map.of());
        assertThat(old.devices()).extracting(DeviceInfo::id).containsExactly("cpu", "gpu:1");
        assertThat(resolve("cpu", old).isGpu()).isFalse();
        assertThatThrownBy(() -> new BackendInfo(Map.of(), (List) List.of("tpu"), true, Map.of())).hasMessageContaining("tpu");
        BuildOptions.cpu().requireCpuBuild("x", "no GPU");
        assertThatThrownBy(() -> new BuildOptions("gpu", 1).requireCpuBuild("x", "no GPU"))
                .isInstanceOf(BackendUnavailableException.class).hasMessageContaining("device gpu was requested").hasMessageContaining("no GPU");
    }

    @Test
    void driverVersionsCompareNumerically() {
        assertThat(Gpus.compareVersions("535.104.05", "525.60.13")).isPositive();
        assertThat(Gpus.compareVersions("470.82.01", "525.60.13")).isNegative();
        assertThat(Gpus.compareVersions("525.60.13", "525.60.13")).isZero();
        assertThat(Gpus.compareVersions("525.60", "525.60.13")).isNegative();
        assertThat(Gpus.compareVersions("1000.1", "999.99.99")).isPositive();
    }

    @Test
    void nvidiaSmiRowsBecomeTheGpusCudaShowsThisProcess() {
        List<DeviceInfo> all = Gpus.parse(SMI, CAPS, null);
        assertThat(all).extracting(DeviceInfo::id).containsExactly("gpu:0", "gpu:1", "gpu:2");
        assertThat(all.get(2)).isEqualTo(new DeviceInfo("gpu:2", "NVIDIA A100-SXM4-80GB", 81920L << 20, "8.0", "550.54.15", ""));
        // CUDA_VISIBLE_DEVICES narrows and renumbers, in its own order
        List<DeviceInfo> visible = Gpus.parse(SMI, CAPS, "2,0");
        assertThat(visible).extracting(DeviceInfo::id).containsExactly("gpu:0", "gpu:1");
        assertThat(visible).extracting(DeviceInfo::name).containsExactly("NVIDIA A100-SXM4-80GB", "NVIDIA H200");
        assertThat(Gpus.parse(SMI, CAPS, "")).as("an empty list hides every GPU").isEmpty();
        assertThat(Gpus.parse(SMI, CAPS, "1,7,0")).as("CUDA stops at the first invalid entry").extracting(DeviceInfo::name)
                .containsExactly("NVIDIA H200");
        assertThat(Gpus.parse(SMI, CAPS, "-1")).as("the usual way to hide every GPU").isEmpty();
        assertThat(Gpus.parse(SMI, CAPS, "GPU-77aa,0")).as("UUID prefixes").extracting(DeviceInfo::name)
                .containsExactly("NVIDIA A100-SXM4-80GB", "NVIDIA H200");
        assertThat(Gpus.parse(SMI, CAPS, "MIG-0f1e2d3c")).as("MIG instances are not GPUs nvidia-smi lists").isEmpty();
        assertThat(Gpus.parse(SMI, "", null).get(0).computeCapability()).as("old drivers do not report it").isEmpty();
        assertThat(Gpus.parse("No devices were found\n", "", null)).isEmpty();
    }
}
