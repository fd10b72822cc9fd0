package io.modelgate;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** The package structure of GUIDE.md, enforced: one engine, thin faces. */
class ArchitectureTest {
    private static JavaClasses engine;

    @BeforeAll
    static void importClasses() {
        engine = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.modelgate");
    }

    @Test
    void capabilitiesNeverDependOnTheCommandLine() {
        noClasses().that().resideOutsideOfPackage("io.modelgate.cli..")
                .should().dependOnClassesThat().resideInAPackage("io.modelgate.cli..")
                .check(engine);
    }

    @Test
    void nothingImportsJenkins() {
        noClasses().should().dependOnClassesThat()
                .resideInAnyPackage("hudson..", "jenkins..", "org.jenkinsci..", "org.kohsuke.stapler..")
                .check(engine);
    }

    @Test
    void packagesHaveNoCycles() {
        slices().matching("io.modelgate.(*)..").should().beFreeOfCycles().check(engine);
    }

    @Test
    void onlyTheCommandLinePrintsOrExits() {
        noClasses().that().resideOutsideOfPackage("io.modelgate.cli..")
                .should().accessField(System.class, "out")
                .orShould().accessField(System.class, "err")
                .orShould().callMethod(System.class, "exit", int.class)
                .check(engine);
    }

    @Test
    void theGateAndMetricsDoNotKnowAboutReportsOrTheDemo() {
        noClasses().that().resideInAnyPackage("io.modelgate.gate..", "io.modelgate.metrics..", "io.modelgate.common..")
                .should().dependOnClassesThat().resideInAnyPackage("io.modelgate.report..", "io.modelgate.demo..",
                        "io.modelgate.bench..")
                .check(engine);
    }
}
