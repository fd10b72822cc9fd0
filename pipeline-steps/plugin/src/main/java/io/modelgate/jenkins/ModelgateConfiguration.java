package io.modelgate.jenkins;

import hudson.Extension;
import hudson.ExtensionList;
import hudson.util.FormValidation;
import java.net.URI;
import java.net.URISyntaxException;
import jenkins.model.GlobalConfiguration;
import jenkins.model.Jenkins;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * Manage Jenkins > System > Modelgate, and {@code unclassified: modelgate:} in Configuration as Code:
 * the defaults every Modelgate step gets when its build sets none (MODELGATE_REGISTRY,
 * OPENLINEAGE_URL) and the IDs of the credentials it uses. Secrets stay in the credentials store and
 * reach the engine only as environment variables of the step; they are never logged.
 */
@Extension
@Symbol("modelgate")
public final class ModelgateConfiguration extends GlobalConfiguration {
    private String registry;
    private String openLineageUrl;
    private String gitCredentialsId;
    private String openLineageCredentialsId;

    public ModelgateConfiguration() {
        load();
    }

    public static ModelgateConfiguration get() {
        return ExtensionList.lookupSingleton(ModelgateConfiguration.class);
    }

    /** The registry: a directory on the agent or a Git URL (the steps' default for {@code registry}). */
    public String getRegistry() {
        return registry;
    }

    @DataBoundSetter
    public void setRegistry(String registry) {
        this.registry = trim(registry);
        save();
    }

    public String getOpenLineageUrl() {
        return openLineageUrl;
    }

    @DataBoundSetter
    public void setOpenLineageUrl(String openLineageUrl) {
        this.openLineageUrl = trim(openLineageUrl);
        save();
    }

    /** Username and password (or token) for an HTTPS Git registry. */
    public String getGitCredentialsId() {
        return gitCredentialsId;
    }

    @DataBoundSetter
    public void setGitCredentialsId(String gitCredentialsId) {
        this.gitCredentialsId = trim(gitCredentialsId);
        save();
    }

    /** Secret text: the OpenLineage endpoint's API key. */
    public String getOpenLineageCredentialsId() {
        return openLineageCredentialsId;
    }

    @DataBoundSetter
    public void setOpenLineageCredentialsId(String openLineageCredentialsId) {
        this.openLineageCredentialsId = trim(openLineageCredentialsId);
        save();
    }

    @POST
    public FormValidation doCheckRegistry(@QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        String v = trim(value);
        if (v == null) {
            return FormValidation.ok("Each build uses $MODELGATE_REGISTRY, modelgate.yaml, else .modelgate/registry in its workspace");
        }
        if (v.matches("(?i)https?://[^/]*:[^/]*@.*")) {
            return FormValidation.error("Put the password in credentials (Git credentials), not in the URL");
        }
        return FormValidation.ok();
    }

    @POST
    public FormValidation doCheckOpenLineageUrl(@QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        String v = trim(value);
        if (v == null) {
            return FormValidation.ok();
        }
        try {
            URI u = new URI(v);
            if (u.getScheme() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https")) || u.getHost() == null) {
                return FormValidation.error("Expected an http:// or https:// URL, e.g. http://marquez:5000");
            }
            if (u.getUserInfo() != null) {
                return FormValidation.error("Put the API key in credentials (OpenLineage API key), not in the URL");
            }
            return FormValidation.ok();
        } catch (URISyntaxException e) {
            return FormValidation.error("Not a URL: " + e.getReason());
        }
    }

    private static String trim(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
