// checkDrift(...): see checkDrift.txt and docs/jenkins.md. The engine does the work (modelgate step checkDrift).

/** Returns the drift result (drift.json's shape) as a Map. */
def call(Map args = [:]) {
    return modelgateStep('checkDrift', args)
}
