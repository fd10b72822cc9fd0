// registerModel(...): see registerModel.txt and docs/jenkins.md. The engine does the work (modelgate step registerModel).

/** Returns the engine's JSON result as a Map. */
def call(Map args = [:]) {
    return modelgateStep('registerModel', args)
}
