package io.modelgate;

import com.tngtech.archunit.core.domain.JavaClasses;
import io.modelgate.common.ModelgateException;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The package structure of GUIDE.md, enforced: one engine, thin faces. Here, in the command line's
 * module, because it is the one that sees every module's classes (engine, tools and cli).
 */
class ArchitectureTest {
    /** The engine's packages: what the Maven module modelgate-engine holds. */
    private static final String[] ENGINE = {"io.modelgate.common..", "io.modelgate.gate..", "io.modelgate.metrics..",
        "io.modelgate.registry..", "io.modelgate.lineage..", "io.modelgate.rollout..", "io.modelgate.drift..",
        "io.modelgate.report..", "io.modelgate.step..", "io.modelgate.store.."};
    /** The demo, the benchmarks and the toy model server: the module modelgate-tools. */
    private static final String[] TOOLS = {"io.modelgate.bench..", "io.modelgate.demo..", "io.modelgate.server.."};

    private static JavaClasses engine;

    @BeforeAll
    static void importClasses() {
        engine = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("-tests.jar"))
                .importPackages("io.modelgate");
    }

    @Test
    void everyClassIsInAKnownModule() {
        // A new package has to be placed in a module, and so in the rules below.
        classes().should().resideInAnyPackage(concat(ENGINE, TOOLS, new String[] {"io.modelgate.cli.."}))
                .check(engine);
    }

    @Test
    void theEngineDependsOnNeitherTheCommandLineNorTheTools() {
        noClasses().that().resideInAnyPackage(ENGINE)
                .should().dependOnClassesThat().resideInAnyPackage(concat(TOOLS, new String[] {"io.modelgate.cli..", "picocli.."}))
                .check(engine);
    }

    @Test
    void theToolsDoNotDependOnTheCommandLine() {
        noClasses().that().resideInAnyPackage(TOOLS)
                .should().dependOnClassesThat().resideInAnyPackage("io.modelgate.cli..", "picocli..")
                .check(engine);
    }

    @Test
    void everyExceptionOfOursIsAModelgateException() {
        // A user mistake is reported by its kind (exit 2 or 3) in one line; an exception type of our own
        // outside ModelgateException would reach the user as "internal error" (exit 4) with a stack trace.
        // Package-private ones are a parser's signals to its own package, caught and turned into a
        // ModelgateException there (CsvChunkParser.RowError, ByteDictionary.BadValue, ...).
        classes().that().resideInAnyPackage("io.modelgate..").and().areAssignableTo(Exception.class)
                .and().arePublic()
                .should().beAssignableTo(ModelgateException.class)
                .check(engine);
    }

    private static String[] concat(String[]... parts) {
        return java.util.Arrays.stream(parts).flatMap(java.util.Arrays::stream).toArray(String[]::new);
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
                // The drift benchmark's child JVM has its own main: it reports its figures on stdout.
                .and().doNotHaveFullyQualifiedName("io.modelgate.bench.DriftColdRun")
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
