// rollbackModel(...): see rollbackModel.txt and docs/jenkins.md. The engine does the work (modelgate step rollbackModel).

/** Returns the engine's JSON result as a Map. */
def call(Map args = [:]) {
    return modelgateStep('rollbackModel', args)
}
