package dev.verdant.train.zoo;

/** The non-linearity of a zoo layer, with the weight initialisation that suits it. */
public enum Activation {
    RELU("Relu", WeightInit.HE_NORMAL),
    TANH("Tanh", WeightInit.GLOROT_UNIFORM);

    private final String opType;
    private final WeightInit init;

    Activation(String opType, WeightInit init) {
        this.opType = opType;
        this.init = init;
    }

    /** The ONNX operator that computes it. */
    public String opType() {
        return opType;
    }

    /** The initialisation for weights feeding this activation. */
    public WeightInit init() {
        return init;
    }
}
