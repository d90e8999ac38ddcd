package org.infodyn.engine.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;

import org.infodyn.api.backend.SgdSettings;
import org.infodyn.engine.experiment.PhaseSpec;
import org.infodyn.engine.experiment.ScheduleSpec;
import org.junit.jupiter.api.Test;

class ProbeScheduleTest {
    @Test
    void stepsPerEpochRoundUpAndPhasesChain() {
        TrainingPlan plan = new TrainingPlan(List.of(PhaseSpec.ofEpochs(30, 0.05, 32), PhaseSpec.ofEpochs(2, 0.05, 1024)), 9000);
        assertThat(plan.phases().get(0).stepsPerEpoch()).isEqualTo(282); // 9000 / 32 = 281.25
        assertThat(plan.phases().get(0).steps()).isEqualTo(30 * 282);
        assertThat(plan.phases().get(1).stepsPerEpoch()).isEqualTo(9);
        assertThat(plan.phases().get(1).startStep()).isEqualTo(8460);
        assertThat(plan.totalSteps()).isEqualTo(8460 + 18);
        assertThat(plan.totalEpochs()).isEqualTo(32.0);
        assertThat(plan.epochAt(8460 + 9)).isEqualTo(31.0);
        assertThat(plan.phaseOf(8460).index()).isZero();
        assertThat(plan.phaseOf(8461).index()).isEqualTo(1);
        assertThat(plan.stepAtEpoch(31.5)).isEqualTo(8460 + 14); // 4.5 → round half up
    }

    @Test
    void theDefaultScheduleOfTheMainExampleHas46Points() {
        TrainingPlan plan = new TrainingPlan(List.of(PhaseSpec.ofEpochs(30, 0.05, 32)), 9000);
        List<Long> steps = ProbeSchedule.steps(ScheduleSpec.defaults(), plan);
        assertThat(steps).hasSize(46);
        assertThat(steps.subList(0, 6)).containsExactly(0L, 10L, 30L, 71L, 100L, 141L);
        assertThat(steps).contains(4L * 282, 5L * 282, 30L * 282);
        assertThat(steps).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void everyFiveEpochsAfterThirtyAndTheEndAreIncluded() {
        TrainingPlan plan = new TrainingPlan(List.of(PhaseSpec.ofEpochs(47, 0.05, 100)), 1000);
        List<Long> steps = ProbeSchedule.steps(ScheduleSpec.defaults(), plan);
        assertThat(steps).contains(350L, 400L, 450L, 470L).doesNotContain(460L);
    }

    @Test
    void explicitStepsBeyondTheEndAreDroppedAndPhaseEndsAdded() {
        TrainingPlan plan = new TrainingPlan(List.of(
                new PhaseSpec(Optional.empty(), Optional.of(25L), SgdSettings.plain(0.1), 10, Optional.empty(), false),
                new PhaseSpec(Optional.empty(), Optional.of(25L), SgdSettings.plain(0.1), 10, Optional.empty(), false)), 100);
        ScheduleSpec s = new ScheduleSpec(List.of(3L, 999L), List.of());
        assertThat(ProbeSchedule.steps(s, plan)).containsExactly(0L, 3L, 25L, 50L);
    }

    @Test
    void aZeroLengthRunProbesOnce() {
        TrainingPlan plan = new TrainingPlan(List.of(PhaseSpec.ofEpochs(0, 0.1, 10)), 100);
        assertThat(ProbeSchedule.steps(ScheduleSpec.defaults(), plan)).containsExactly(0L);
    }
}
