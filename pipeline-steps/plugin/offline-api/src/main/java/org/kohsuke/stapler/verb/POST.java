// Signature mirror of org.kohsuke.stapler:stapler:2076.v1b_a_c12445eb_e, read from jenkinsci/stapler tag 2076.v1b_a_c12445eb_e.
// Only the members the plugin's main sources use; no behaviour (bodies throw). Compiled by scripts/test to
// check the plugin against the engine offline; never packaged, never on a test's classpath.
package org.kohsuke.stapler.verb;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

// Upstream also carries @InterceptorAnnotation(value = HttpVerbInterceptor.class, stage = Stage.SELECTION): behaviour, left out.
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface POST {}
