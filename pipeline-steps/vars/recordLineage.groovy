// recordLineage(...): see recordLineage.txt and docs/jenkins.md. The engine does the work (modelgate step recordLineage).

/** Returns the engine's JSON result as a Map. */
def call(Map args = [:]) {
    return modelgateStep('recordLineage', args)
}
