package io.modelgate.jenkins;

import org.kohsuke.stapler.DataBoundSetter;

/** A step that changes the registry: who acts, and how versions are tagged, as every registry command takes them. */
public abstract class RegistryModelgateStep extends RegistryLocatedStep {
    protected RegistryModelgateStep(String function) {
        super(function);
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
