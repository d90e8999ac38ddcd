package org.infodyn.backend.dl4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.ShapeInfoProvider;
import org.nd4j.linalg.cpu.nativecpu.DirectShapeInfoProvider;
import org.nd4j.linalg.factory.Nd4j;

/** The shape-descriptor cache: installed, and equivalent to ND4J's own descriptors. */
class CachingShapeInfoProviderTest {

    @BeforeAll
    static void loadNatives() {
        Dl4jRuntime.load();
    }

    @Test
    void isInstalledWhenTheBackendLoadsNd4j() {
        assertThat(Nd4j.getShapeInfoProvider()).isInstanceOf(CachingShapeInfoProvider.class);
    }

    @Test
    void givesTheDescriptorsNd4jWouldComputeAndReusesThem() {
        ShapeInfoProvider stock = new DirectShapeInfoProvider(); // uncached for this overload in M2.1
        CachingShapeInfoProvider cached = new CachingShapeInfoProvider();
        long[][][] shapesAndStrides = {{{32, 100}, {100, 1}}, {{32, 100}, {1, 32}}, {{7}, {1}}, {{0}, {1}},
            {{2, 3, 4}, {12, 4, 1}}, {{}, {}}};
        for (long[][] s : shapesAndStrides) {
            for (char order : new char[] {'c', 'f'}) {
                for (DataType type : new DataType[] {DataType.FLOAT, DataType.INT32, DataType.INT64, DataType.DOUBLE}) {
                    for (boolean empty : new boolean[] {false, true}) {
                        long[] expected = stock.createShapeInformation(s[0], s[1], 1, order, type, empty).getSecond();
                        var first = cached.createShapeInformation(s[0], s[1], 1, order, type, empty);
                        var second = cached.createShapeInformation(s[0], s[1], 1, order, type, empty);
                        assertThat(first.getSecond()).as("%s %s %s empty=%s", Arrays.toString(s[0]), order, type, empty)
                                .containsExactly(expected);
                        assertThat(second.getFirst()).as("cached descriptor").isSameAs(first.getFirst());
                    }
                }
            }
        }
    }
}
