// canaryRollout(...): see canaryRollout.txt and docs/jenkins.md. The engine runs the rollout
// (modelgate step canaryRollout); when the build is aborted, this step has it roll back at once.

/** Returns the rollout's final state as a Map. */
def call(Map args = [:]) {
    try {
        return modelgateStep('canaryRollout', args)
    } catch (InterruptedException e) {
        // An aborted build interrupts the step (FlowInterruptedException is an InterruptedException) and
        // stops the rollout's process; put all traffic back on stable before stopping as asked.
        echo('Modelgate: the build was aborted; rolling the canary back')
        Map abort = [:]
        abort.putAll(args)
        abort.abort = true
        abort.reason = 'the Jenkins build was aborted'
        modelgateStep('canaryRollout', abort, [mapResult: false])
        throw e
    }
}
