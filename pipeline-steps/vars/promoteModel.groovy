// promoteModel(...): see promoteModel.txt and docs/jenkins.md. The engine does the work
// (modelgate step promoteModel); this step only asks a person first when `approvers` is given.

/** Returns the registry's outcome as a Map. */
def call(Map args = [:]) {
    Map params = [:]
    params.putAll(args)
    if (params.approvers) {
        String target = params.stage ? "stage ${params.stage}" : "alias ${params.alias}"
        // With only submitterParameter, input returns the approver's user id: the registry records it.
        def approver = input(message: "Promote ${params.name} ${params.version} to ${target}?", ok: 'Promote',
                submitter: params.approvers.toString(), submitterParameter: 'approver')
        params.approver = approver.toString()
        // input returns no groups; a group written into the Jenkinsfile would be nobody's word.
        params.remove('approverGroups')
    }
    return modelgateStep('promoteModel', params)
}
