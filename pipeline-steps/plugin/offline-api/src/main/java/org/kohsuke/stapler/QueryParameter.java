// Signature mirror of org.kohsuke.stapler:stapler:2076.v1b_a_c12445eb_e, read from jenkinsci/stapler tag 2076.v1b_a_c12445eb_e.
// Only the members the plugin's main sources use; no behaviour (bodies throw). Compiled by scripts/test to
// check the plugin against the engine offline; never packaged, never on a test's classpath.
package org.kohsuke.stapler;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

// Upstream also carries @InjectedParameter(HandlerImpl.class) and the nested HandlerImpl: behaviour, left out.
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
@Documented
public @interface QueryParameter {
    String value() default "";

    boolean required() default false;

    boolean fixEmpty() default false;
}
