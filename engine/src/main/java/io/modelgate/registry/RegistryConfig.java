package io.modelgate.registry;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The registry's stages and promotion rules.
 *
 * @param stages     stage name to how many versions it holds at once (0: any number), in order
 * @param archive    the stage displaced versions move to; holds any number and is not listed in stages
 * @param promotion  target stage to its rule; a stage without a rule accepts any version
 * @param gtoTags    whether to also write DVC GTO's tags
 * @param hooks      where each committed event is delivered, in order
 */
public record RegistryConfig(Map<String, Integer> stages, String archive, Map<String, PromotionRule> promotion,
                             boolean gtoTags, List<Hook> hooks) {
    public RegistryConfig {
        stages = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(stages));
        promotion = Map.copyOf(promotion);
        hooks = List.copyOf(hooks);
    }

    /** A configuration without hooks. */
    public RegistryConfig(Map<String, Integer> stages, String archive, Map<String, PromotionRule> promotion,
                          boolean gtoTags) {
        this(stages, archive, promotion, gtoTags, List.of());
    }

    /** Safe without configuration: production needs a PASS verdict and must come from staging. */
    public static RegistryConfig defaults() {
        Map<String, Integer> stages = new LinkedHashMap<>();
        stages.put("staging", 1);
        stages.put("production", 1);
        return new RegistryConfig(stages, "archived", Map.of("production",
                new PromotionRule(PromotionRule.RequiredVerdict.PASS, false, false, List.of("staging"), Duration.ZERO)),
                false);
    }

    public boolean isStage(String name) {
        return stages.containsKey(name) || archive.equals(name);
    }

    public int capacity(String stage) {
        return stages.getOrDefault(stage, 0);
    }

    public PromotionRule rule(String stage) {
        return promotion.getOrDefault(stage, PromotionRule.NONE);
    }

    public List<String> allStages() {
        var all = new java.util.ArrayList<>(stages.keySet());
        all.add(archive);
        return all;
    }

    public RegistryConfig withGtoTags(boolean on) {
        return new RegistryConfig(stages, archive, promotion, on, hooks);
    }

    public RegistryConfig withHooks(List<Hook> hooks) {
        return new RegistryConfig(stages, archive, promotion, gtoTags, hooks);
    }
}
