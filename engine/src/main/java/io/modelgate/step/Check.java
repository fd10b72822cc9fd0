package io.modelgate.step;

import java.io.Serializable;

/**
 * A check for the build's commit (a pull-request check on GitHub), in the fields of the Checks API's
 * {@code publishChecks} step.
 *
 * @param conclusion {@code SUCCESS}, {@code NEUTRAL} (warnings, paused) or {@code FAILURE}
 * @param detailsUrl the build's Modelgate page, or empty outside Jenkins
 */
public record Check(String name, String title, String summary, String text, String conclusion, String detailsUrl)
        implements Serializable {
}
