// validateModel(...): see validateModel.txt and docs/jenkins.md. The engine does the work (modelgate step validateModel).

/** Returns the engine's JSON result as a Map. */
def call(Map args = [:]) {
    return modelgateStep('validateModel', args)
}
