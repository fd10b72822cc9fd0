package org.jenkinsci.plugins.workflow.libs;

import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;

/**
 * Stand-in for the Pipeline: Shared Groovy Libraries plugin's {@code @Library}, so the example
 * Jenkinsfile's {@code @Library('modelgate') _} line compiles in the Jenkins step recorder, which
 * loads {@code vars/} itself.
 */
@Retention(RetentionPolicy.SOURCE)
public @interface Library {
    String[] value();

    boolean changelog() default true;
}
