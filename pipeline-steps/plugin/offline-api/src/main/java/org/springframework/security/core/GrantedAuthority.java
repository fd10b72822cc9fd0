// Signature mirror of org.springframework.security:spring-security-core:6.5.9 (the version jenkins-core 2.555.3's
// bom imports). Only the members the plugin's main sources use; no behaviour (bodies throw). Compiled by
// scripts/test to check the plugin against the engine offline; never packaged, never on a test's classpath.
package org.springframework.security.core;

import java.io.Serializable;

public interface GrantedAuthority extends Serializable {
    String getAuthority();
}
