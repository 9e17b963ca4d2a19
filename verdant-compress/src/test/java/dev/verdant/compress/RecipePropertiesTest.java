package dev.verdant.compress;

import static dev.verdant.io.ParserProperties.forAll;
import static dev.verdant.io.ParserProperties.parsesOrRefuses;
import static org.assertj.core.api.Assertions.assertThat;

import dev.verdant.io.Mutations;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import org.quicktheories.generators.SourceDSL;

/** {@link Recipe#parse} on any recipe text: steps it accepts, or an {@link IllegalArgumentException} on one line. */
class RecipePropertiesTest {

    private static final List<String> VALID = List.of("fuse,int8-dynamic", "int8-static", "unpad",
            "prune:0.9,share:5bit", "prune:2:4", "prune:0.92,gradual,epochs=3,share:5bit", "prune-structured:0.5",
            "prune-structured:ffn=0.5,heads=0.5,epochs=2,lr=5e-5", "int8-qat", "deep-compression:bits=auto,fc=4",
            "distill:student=mobilenet,width=0.5,T=4,alpha=0.9", "distill:student=mlp,examples=100,transfer=rest");

    @Test
    void aRecipeParsesOrFailsOnOneLine() {
        // valid recipes mutated, step names and settings spliced at random, and any text, on one line
        Gen<String> words = Generate.oneOf(Generate.pick(Recipe.STEP_NAMES),
                Generate.pick(List.of(":", ",", "=", "bit", "0.5", "-1", "1e9", "NaN", "auto", "9999999999999", " ",
                        ":4", "epochs=", "T=", "student=")));
        Gen<String> spliced = SourceDSL.lists().of(words).ofSizeBetween(0, 8).map(list -> String.join("", list));
        forAll(1500, Mutations.optionValue(Generate.oneOf(Mutations.ofText(VALID), spliced, Mutations.anyText(30))),
                text -> parsesOrRefuses(() -> Recipe.parse(text), IllegalArgumentException.class)
                        .ifPresent(recipe -> assertThat(recipe.steps()).isNotEmpty()
                                .allMatch(step -> Recipe.STEP_NAMES.contains(step.name()))));
    }
}
