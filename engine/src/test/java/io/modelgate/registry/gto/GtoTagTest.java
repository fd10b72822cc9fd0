package io.modelgate.registry.gto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;

import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import io.modelgate.registry.gto.GtoTag.Kind;

class GtoTagTest {

    // Vectors: iterative/gto tests/test_tag.py test_parse_name
    @Test
    void parsesEveryKindLikeGtoParseName() {
        assertThat(GtoTag.parse("path@v1.2.3")).contains(new GtoTag(Kind.REGISTER, "path", "v1.2.3", "", 0));
        assertThat(GtoTag.parse("path@v1.2.3#5")).contains(new GtoTag(Kind.REGISTER, "path", "v1.2.3", "", 5));
        assertThat(GtoTag.parse("path@v1.2.3!")).contains(new GtoTag(Kind.DEREGISTER, "path", "v1.2.3", "", 0));
        assertThat(GtoTag.parse("path@v1.2.3!#2")).contains(new GtoTag(Kind.DEREGISTER, "path", "v1.2.3", "", 2));
        assertThat(GtoTag.parse("path#stage")).contains(new GtoTag(Kind.ASSIGN, "path", "", "stage", 0));
        assertThat(GtoTag.parse("path#stage#1")).contains(new GtoTag(Kind.ASSIGN, "path", "", "stage", 1));
        assertThat(GtoTag.parse("path#stage!#2")).contains(new GtoTag(Kind.UNASSIGN, "path", "", "stage", 2));
        assertThat(GtoTag.parse("path#stage!")).contains(new GtoTag(Kind.UNASSIGN, "path", "", "stage", 0));
        assertThat(GtoTag.parse("path@deprecated")).contains(new GtoTag(Kind.DEPRECATE, "path", "", "", 0));
        assertThat(GtoTag.parse("path@deprecated#3")).contains(new GtoTag(Kind.DEPRECATE, "path", "", "", 3));
    }

    // Vectors: tests/test_tag.py test_parse_wrong_names
    @ParameterizedTest
    @ValueSource(strings = {"", "###", "@@@", "model@v1", "nn#prod#-1", "model@v111", "model-prod", "model@0.0.1",
        "model-prod-v1", "model#prod#-1", "model#prod#1-2", "model#prod?#1-2", "model#prod@v1.2.3",
        "model@v1.2.3#prod", "model-prod-v1-stage", "model@prod@v1@stage-1", "namespace/model@0.0.1",
        "@namespace/model@0.0.1", "model#prod#v1#stage#1-", "model#prod-v1-stage@1-2", "model#prod-v1-stage@1-2#@",
        "v1.0.0", "wrong-tag-unrelated", "model@v01.0.0", "model@V1.0.0"})
    void rejectsTagsGtoDoesNotRecognise(String tagName) {
        assertThat(GtoTag.parse(tagName)).isEmpty();
    }

    // Vectors: tests/test_tag.py test_parse_correct_names
    @ParameterizedTest
    @ValueSource(strings = {"nn#prod", "nn#prod!", "nn#prod#1", "nn@v1.0.0", "nn#prod!#2", "nn@v1.0.0!",
        "nn@v1.0.0#1", "nn@v1.0.0!#1", "nn@v1.0.0-rc.2", "nn@v1.0.0-alpha", "nn@v1.0.0-alpha.1",
        "nn@v1.0.0-alpha.beta", "new-artifact@v1.0.1!", "nn@v1.0.0+build.7", "some/folder=some/model#prod#4"})
    void acceptsTagsGtoRecognisesAndFormatsThemBackUnchanged(String tagName) {
        assertThat(GtoTag.parse(tagName)).map(GtoTag::tagName).contains(tagName);
    }

    @Test
    void ignoresTheCreatedFormBecauseGtoAssignsItNoAction() {
        // tag_re matches "@created" but parse_name sets no action, and find() fails on it
        assertThat(GtoTag.parse("model@created")).isEmpty();
    }

    // Vectors: tests/test_tag.py test_name_tag
    @Test
    void formatsNamesLikeGtoNameTag() {
        assertThat(GtoTag.register("myartifact", "v1.0.0").tagName()).isEqualTo("myartifact@v1.0.0");
        assertThat(GtoTag.register("myartifact", "v1.0.0").withCounter(1).tagName()).isEqualTo("myartifact@v1.0.0#1");
        assertThat(GtoTag.deregister("myartifact", "v1.0.0").tagName()).isEqualTo("myartifact@v1.0.0!");
        assertThat(GtoTag.deregister("myartifact", "v1.0.0").withCounter(1).tagName())
                .isEqualTo("myartifact@v1.0.0!#1");
        assertThat(GtoTag.assign("myartifact", "stage", "", 0).tagName()).isEqualTo("myartifact#stage");
        assertThat(GtoTag.assign("myartifact", "stage", "", 1).tagName()).isEqualTo("myartifact#stage#1");
        assertThat(GtoTag.unassign("myartifact", "stage", "", 1).tagName()).isEqualTo("myartifact#stage!#1");
        assertThat(GtoTag.deprecate("myartifact").tagName()).isEqualTo("myartifact@deprecated");
    }

    @Test
    void writesTheFolderSeparatorAsEqualsSignInTagsAndColonInNames() {
        GtoTag tag = GtoTag.assign("some/folder:some/model", "prod", "", 4);
        assertThat(tag.tagName()).isEqualTo("some/folder=some/model#prod#4");
        assertThat(GtoTag.parse("some/folder=some/model#prod#4")).contains(tag);
        assertThat(GtoTag.parse("some/folder:some/model#prod#4")).isEmpty();
    }

    @Test
    void treatsCounterZeroLikeNoCounter() {
        assertThat(GtoTag.parse("nn#prod#0")).map(GtoTag::tagName).contains("nn#prod");
        assertThat(GtoTag.parse("nn#prod#007")).map(GtoTag::counter).contains(7);
    }

    // Defaults of gto/registry.py: register L189, deregister L251, assign L334-338, unassign L396, deprecate L452
    // (tests/test_registry.py expects "Registering artifact rf version v1.2.3" and
    //  "Assigning stage production to artifact rf version v1.2.3").
    @Test
    void writesGtoDefaultMessages() {
        assertThat(GtoTag.register("rf", "v1.2.3").message()).isEqualTo("Registering artifact rf version v1.2.3");
        assertThat(GtoTag.deregister("rf", "v1.2.3").message()).isEqualTo("Deregistering artifact rf version v1.2.3");
        assertThat(GtoTag.assign("rf", "production", "v1.2.3", 2).message())
                .isEqualTo("Assigning stage production to artifact rf version v1.2.3");
        assertThat(GtoTag.unassign("rf", "production", "v1.2.3", 3).message())
                .isEqualTo("Unassigning stage 'production' to artifact 'rf' version 'v1.2.3'");
        assertThat(GtoTag.deprecate("rf").message()).isEqualTo("Deprecating artifact 'rf'");
        assertThat(GtoTag.register("dir:rf", "v1.2.3").message()).isEqualTo("Registering artifact dir:rf version v1.2.3");
    }

    @Test
    void namesTheCommitWhenAssigningAnUnregisteredCommit() {
        ObjectId commit = ObjectId.fromString("299e82a7b3244899a84e715a39b786a4451c25cd");
        assertThat(GtoTag.assign("churn", "dev", "", 1).message(commit))
                .isEqualTo("Assigning stage dev to artifact churn commit 299e82a7b3244899a84e715a39b786a4451c25cd");
        assertThatThrownBy(() -> GtoTag.assign("churn", "dev", "", 1).message())
                .isInstanceOf(IllegalStateException.class);
    }

    // Vectors: tests/test_constants.py
    @ParameterizedTest
    @ValueSource(strings = {"1", "m", "nn", "m1", "1nn", "model-prod", "model-prod-v1", "model_prod_v1",
        "dvclive/model", "model_A", "DVCLive/Model", "dvclive:model", "some/folder:some/model",
        "some/Other_Folder:some/model", "some.folder:model"})
    void acceptsGtoArtifactNames(String name) {
        assertThat(GtoTag.isValidName(name)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "m/", "/m", "###", "@@@", "a model", "_model", "-model", "model-", "model@1",
        "model#1", "@namespace/model", "some.name", "a:b:c", "dir=model"})
    void rejectsNamesGtoRejects(String name) {
        assertThat(GtoTag.isValidName(name)).isFalse();
        assertThatThrownBy(() -> GtoTag.register(name, "v1.0.0")).isInstanceOf(GtoException.class)
                .hasMessageContaining("Invalid artifact name");
    }

    @Test
    void validatesStagesWithGtoNameRegexWhichHasNoFolderPart() {
        assertThat(GtoTag.isValidStage("prod")).isTrue();
        assertThat(GtoTag.isValidStage("eu/prod")).isTrue();
        assertThat(GtoTag.isValidStage("dir:prod")).isFalse();
        assertThat(GtoTag.isValidStage("prod!")).isFalse();
        assertThatThrownBy(() -> GtoTag.assign("m", "-prod", "", 1)).isInstanceOf(GtoException.class);
    }

    @Test
    void validatesVersionsAsSemVerWithLowercaseV() {
        assertThat(GtoTag.isValidVersion("v0.0.1")).isTrue();
        assertThat(GtoTag.isValidVersion("v1.0.0-rc.1+build.5")).isTrue();
        assertThat(GtoTag.isValidVersion("1.0.0")).isFalse();
        assertThat(GtoTag.isValidVersion("V1.0.0")).isFalse();
        assertThat(GtoTag.isValidVersion("v1.0")).isFalse();
        assertThat(GtoTag.isValidVersion("v1.0.0-01")).isFalse();
        assertThatThrownBy(() -> GtoTag.register("m", "1.0.0")).isInstanceOf(GtoException.class);
    }

    @Test
    void readsVersionsInTagsWithTheOneSemVerParser() {
        assertThat(GtoTag.parse("m@v1.0.0-rc.1+build.5#3"))
                .contains(new GtoTag(Kind.REGISTER, "m", "v1.0.0-rc.1+build.5", "", 3));
        assertThat(GtoTag.parse("m@v1.0.0-rc-1!")).contains(new GtoTag(Kind.DEREGISTER, "m", "v1.0.0-rc-1", "", 0));
        for (String notGto : new String[]{"m@v1.0.0-01", "m@v1.0.0-..", "m@v1.0.0-", "m@v1.0.0+", "m@v1.0.0+a+b",
                "m@v1.0.0-rc..1#2", "m@v\u0661.0.0"}) {
            assertThat(GtoTag.parse(notGto)).as(notGto).isEmpty();
        }
    }

    @Test
    void parseNeverThrowsOnHugeCounters() {
        assertThat(GtoTag.parse("m#prod#99999999999999999999")).isEqualTo(Optional.empty());
    }
}
