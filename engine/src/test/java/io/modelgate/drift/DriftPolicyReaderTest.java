package io.modelgate.drift;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DriftPolicyReaderTest {
    private static DriftPolicy parse(String yaml) {
        return DriftPolicyReader.parse("drift.yaml", yaml);
    }

    private static void rejects(String yaml, String message) {
        assertThatThrownBy(() -> parse(yaml)).isInstanceOf(DriftException.class).hasMessage(message);
    }

    @Test
    void readsEverySettingAndKeepsTheDefaultsForTheRest() {
        DriftPolicy p = parse("""
                version: 1
                drift_share: 0.3
                small_reference_rows: 500
                method: psi
                psi: {warn: 0.05, fail: 0.2}
                prediction_column: proba
                prediction_drift: FAIL
                task: regression
                ignore: [customer_id]
                columns:
                  region: {type: cat}
                  income: {method: wasserstein, threshold: 0.2}
                """);
        assertThat(p.driftShare()).isEqualTo(0.3);
        assertThat(p.smallReference()).isEqualTo(500);
        assertThat(p.method()).isEqualTo(Method.PSI);
        assertThat(p.psiWarn()).isEqualTo(0.05);
        assertThat(p.predictionColumn()).isEqualTo("proba");
        assertThat(p.labelColumn()).isEqualTo("label");
        assertThat(p.predictionDriftFails()).isTrue();
        assertThat(p.classification()).isFalse();
        assertThat(p.column("customer_id").ignore()).isTrue();
        assertThat(p.column("region").type()).isEqualTo(ColumnType.CATEGORICAL);
        assertThat(p.column("income").threshold()).isEqualTo(0.2);
    }

    @Test
    void anUnknownKeyOrMethodGetsASuggestion() {
        rejects("columns: {age: {treshold: 0.1}}", "drift.yaml: columns.age.treshold: unknown key 'treshold' "
                + "(did you mean 'threshold'?); allowed: ignore, method, threshold, type");
        assertThatThrownBy(() -> parse("drift_shar: 0.5")).hasMessageStartingWith(
                "drift.yaml: drift_shar: unknown key 'drift_shar' (did you mean 'drift_share'?); allowed: columns,");
        rejects("method: wasserstien", "drift.yaml: method: unknown method 'wasserstien' (did you mean 'wasserstein'?); "
                + "known: auto, ks, chisquare, wasserstein, jensenshannon, psi");
        rejects("task: regresion", "drift.yaml: task: must be 'classification' or 'regression', found 'regresion' "
                + "(did you mean 'regression'?)");
    }

    @Test
    void wrongTypesAndValuesNameTheField() {
        rejects("drift_share: abc", "drift.yaml: drift_share: must be a number, found 'abc'");
        rejects("drift_share: 1.5", "drift.yaml: drift_share: must be a share above 0 and at most 1, found '1.5'");
        rejects("small_reference_rows: -1", "drift.yaml: small_reference_rows: must be a whole number >= 0, found '-1'");
        rejects("psi: {warn: 0.3, fail: 0.2}", "drift.yaml: psi: needs 0 < warn <= fail, found warn 0.3 and fail 0.2");
        rejects("ignore: customer_id", "drift.yaml: ignore: must be a list of column names, found 'customer_id'");
        rejects("columns: {region: {type: text}}",
                "drift.yaml: columns.region.type: must be 'auto', 'numeric' or 'categorical', found 'text'");
        rejects("columns: {region: {type: categorical, method: ks}}",
                "drift.yaml: columns.region.method: ks does not apply to a categorical column");
        rejects("columns: {region: {ignore: maybe}}", "drift.yaml: columns.region.ignore: must be true or false, found 'maybe'");
        rejects("label_column: ''", "drift.yaml: label_column: must be a name, found ''");
        rejects("version: 3", "drift.yaml: version: unsupported version '3'; this Modelgate reads version 1");
        rejects("", "drift.yaml: the drift policy is empty; leave out --policy to use the defaults");
    }
}
