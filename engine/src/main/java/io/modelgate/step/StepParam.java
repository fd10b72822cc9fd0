package io.modelgate.step;

/**
 * One named parameter of a pipeline step, as a Jenkinsfile writes it: {@code validateModel(policy: 'gate.yaml')}.
 *
 * @param name     the parameter's name in the Jenkinsfile
 * @param kind     what value it takes
 * @param required whether the step refuses to run without it
 * @param help     one line for docs and the steps' help texts
 */
public record StepParam(String name, Kind kind, boolean required, String help) {
    /** The value a parameter takes; a Jenkinsfile passes Groovy strings, booleans, numbers, lists and maps. */
    public enum Kind {
        STRING, BOOLEAN, NUMBER,
        /** A list of strings; a single string counts as a list of one. */
        LIST,
        /** String keys to string values, e.g. {@code params: [lr: '0.1']}. */
        MAP
    }

    static StepParam string(String name, String help) {
        return new StepParam(name, Kind.STRING, false, help);
    }

    static StepParam required(String name, String help) {
        return new StepParam(name, Kind.STRING, true, help);
    }

    static StepParam bool(String name, String help) {
        return new StepParam(name, Kind.BOOLEAN, false, help);
    }

    static StepParam number(String name, String help) {
        return new StepParam(name, Kind.NUMBER, false, help);
    }

    static StepParam list(String name, String help) {
        return new StepParam(name, Kind.LIST, false, help);
    }

    static StepParam map(String name, String help) {
        return new StepParam(name, Kind.MAP, false, help);
    }
}
