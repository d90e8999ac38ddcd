package org.infodyn.engine.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DivergenceTest {
    @Test
    void aNonFiniteLossDivergesAtOnce() {
        Divergence d = new Divergence(100);
        assertThat(d.check(1, Double.NaN)).hasValue("training loss became NaN at step 1");
        assertThat(new Divergence(0).check(7, Double.POSITIVE_INFINITY)).hasValue("training loss became Infinity at step 7");
    }

    @Test
    void aFiniteLossDivergesBeyondTheMultipleOfTheFirstStepsLoss() {
        Divergence d = new Divergence(100);
        assertThat(d.check(1, 0.69)).isEmpty(); // the untrained network's loss: the reference
        assertThat(d.check(2, 60)).isEmpty();
        assertThat(d.check(3, 69)).isEmpty(); // exactly 100 × 0.69 is still allowed
        assertThat(d.check(4, 45_510)).hasValueSatisfying(r -> assertThat(r)
                .isEqualTo("training loss 45510.0 at step 4 exceeded 100 × the first step's loss (0.6900); the bound is train.divergence"));
    }

    @Test
    void zeroTurnsTheMultipleOff() {
        Divergence d = new Divergence(0);
        assertThat(d.check(1, 0.69)).isEmpty();
        assertThat(d.check(2, 1e12)).isEmpty();
    }
}
