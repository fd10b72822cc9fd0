// The one runner behind every Modelgate step. It decides nothing: the engine checks the parameters,
// runs the commands and says how Jenkins should show the outcome (`modelgate step`, docs/jenkins.md);
// this file only moves files, calls Jenkins steps and returns the engine's result.
import groovy.json.JsonOutput
import groovy.json.JsonSlurperClassic

/**
 * Runs a Modelgate step on the agent and applies its outcome to the build.
 *
 * @param step    the step's name, e.g. 'validateModel'
 * @param args    its named parameters, as the Jenkinsfile gave them
 * @param options publish: false skips the reports and check; mapResult: false never calls error or unstable
 * @return the engine's JSON result as a Map (the verdict, the version, the rollout's final state)
 */
def call(String step, Map args = [:], Map options = [:]) {
    if (!isUnix()) {
        error("Modelgate: the steps run on Linux or macOS agents (they use sh); this agent runs Windows")
    }
    String cli = env.MODELGATE_CLI ?: 'modelgate'
    String base = ".modelgate/steps/${env.BUILD_NUMBER ?: 'local'}-${step}-${UUID.randomUUID().toString()}"
    String paramsFile = base + '.params.json'
    String outcomeFile = base + '.outcome.json'
    // Parameter values travel in a file, never through the shell: a model name is data, not a command.
    writeFile(file: paramsFile, text: toJson(args))
    // The library says which version it is; the engine refuses, in one line, an agent's modelgate of another minor version.
    String libraryVersion = libraryResource('io/modelgate/library-version.txt').trim()
    int code = sh(script: "MODELGATE_LIBRARY_VERSION=${shellWord(libraryVersion)} ${shellWord(cli)} step ${shellWord(step)} --params ${shellWord(paramsFile)} --result ${shellWord(outcomeFile)}",
            returnStatus: true, label: "modelgate ${step}")
    if (!fileExists(outcomeFile)) {
        if (code == 127 || code == 126) {
            error("Modelgate: cannot run '${cli}' on this agent (exit code ${code}): install modelgate on the PATH or set MODELGATE_CLI to its path (docs/jenkins.md)")
        }
        error("Modelgate: '${cli} step ${step}' ended with exit code ${code} and wrote no outcome; see the log above")
    }
    Map outcome = parseJson(readFile(outcomeFile))
    if (options.publish != false) {
        publishOutcome(outcome)
    }
    if (options.mapResult != false) {
        if (outcome.result == 'FAILURE') {
            error(outcome.message)
        } else if (outcome.result == 'UNSTABLE') {
            unstable(outcome.message)
        }
    }
    return outcome.value
}

/** Archives the reports and publishes them, the JUnit results and the check; a missing plugin is a one-line note. */
def publishOutcome(Map outcome) {
    Map reports = outcome.reports
    if (reports.archive) {
        archiveArtifacts(artifacts: reports.archive, allowEmptyArchive: true)
    }
    if (reports.junit) {
        try {
            junit(testResults: reports.junit.join(','), allowEmptyResults: true, skipMarkingBuildUnstable: true,
                    skipPublishingChecks: true)
        } catch (NoSuchMethodError e) {
            echo('Modelgate: junit is not available (install the JUnit plugin); test results not published')
        }
    }
    if (reports.dir && fileExists("${reports.dir}/${reports.index}")) {
        try {
            publishHTML(target: [reportDir: reports.dir, reportFiles: reports.index, reportName: reports.name,
                                 keepAll: true, alwaysLinkToLastBuild: true, allowMissing: true])
        } catch (NoSuchMethodError e) {
            echo('Modelgate: publishHTML is not available (install the HTML Publisher plugin); the pages are in the archived artifacts')
        }
    }
    Map check = outcome.check
    try {
        publishChecks(name: check.name, title: check.title, summary: check.summary, text: check.text,
                conclusion: check.conclusion, detailsURL: check.details_url)
    } catch (NoSuchMethodError e) {
        echo('Modelgate: publishChecks is not available (install the Checks API plugin); no check published')
    }
}

@NonCPS
private static String toJson(Map args) {
    return JsonOutput.toJson(args ?: [:])
}

@NonCPS
private static Map parseJson(String text) {
    // JsonSlurperClassic gives plain HashMaps, which survive a controller restart (LazyMap does not).
    return (Map) new JsonSlurperClassic().parseText(text)
}

/** One word for a POSIX shell: single-quoted, with any single quote closed, escaped and reopened. */
@NonCPS
private static String shellWord(String s) {
    return "'" + s.replace("'", "'\"'\"'") + "'"
}
