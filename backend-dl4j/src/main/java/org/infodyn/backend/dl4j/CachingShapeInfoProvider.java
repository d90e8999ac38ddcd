package org.infodyn.backend.dl4j;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.shape.options.ArrayOptionsHelper;
import org.nd4j.linalg.api.shape.options.ArrayType;
import org.nd4j.linalg.cpu.nativecpu.DirectShapeInfoProvider;

/**
 * ND4J's CPU shape-descriptor provider with its cache working again. Every ND4J array has a small
 * native shape descriptor; ND4J's {@link DirectShapeInfoProvider} caches them (up to 1,000
 * distinct ones, never evicted), but in 1.0.0-M2.1 arrays are created through an overload it does
 * not override ({@code (shape, stride, ews, order, dataType, empty)}), so each new array or view
 * allocates a fresh native descriptor and registers it for garbage-collected release. That was
 * about a fifth of a training step of a small MLP. This class routes that overload to the cached
 * one, encoding the data type and the empty flag exactly as ND4J does (the descriptors are
 * identical; a test checks it).
 *
 * <p>Installed process-wide through ND4J's {@code shapeinfoprovider} system property by
 * {@link Dl4jRuntime} before ND4J initialises; public because ND4J instantiates it reflectively.
 */
public class CachingShapeInfoProvider extends DirectShapeInfoProvider {

    @Override
    public Pair<DataBuffer, long[]> createShapeInformation(long[] shape, long[] stride, long elementWiseStride, char order,
            DataType dataType, boolean empty) {
        long extras = ArrayOptionsHelper.setOptionBit(0L, dataType);
        if (empty) {
            extras = ArrayOptionsHelper.setOptionBit(extras, ArrayType.EMPTY);
        }
        return createShapeInformation(shape, stride, elementWiseStride, order, extras);
    }
}
