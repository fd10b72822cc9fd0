package io.modelgate.jenkins;

import org.kohsuke.stapler.DataBoundSetter;

/** A step that changes the registry: where it is and who acts, as every registry command takes them. */
public abstract class RegistryModelgateStep extends ModelgateStep {
    protected RegistryModelgateStep(String function) {
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

    public String getActor() {
        return (String) get("actor");
    }

    @DataBoundSetter
    public void setActor(String actor) {
        set("actor", actor);
    }

    public boolean isGtoTags() {
        return flag("gtoTags");
    }

    @DataBoundSetter
    public void setGtoTags(boolean gtoTags) {
        set("gtoTags", gtoTags);
    }
}
