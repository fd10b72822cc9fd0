package io.modelgate.jenkins;

import org.kohsuke.stapler.DataBoundSetter;

/** A step that reads the registry: where it is, as every registry command takes it. */
public abstract class RegistryLocatedStep extends ModelgateStep {
    protected RegistryLocatedStep(String function) {
        super(function);
    }

    public String getRegistry() {
        return (String) get("registry");
    }

    @DataBoundSetter
    public void setRegistry(String registry) {
        set("registry", registry);
    }

    public String getConfig() {
        return (String) get("config");
    }

    @DataBoundSetter
    public void setConfig(String config) {
        set("config", config);
    }
}
