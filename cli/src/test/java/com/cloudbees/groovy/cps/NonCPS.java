package com.cloudbees.groovy.cps;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Stand-in for Jenkins' {@code @NonCPS} (groovy-cps), so the Jenkins step recorder can compile
 * {@code vars/} without Jenkins. It marks a method; here it changes nothing, because the recorder
 * does not CPS-transform anything (docs/jenkins.md says what that leaves unverified).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface NonCPS {
}
