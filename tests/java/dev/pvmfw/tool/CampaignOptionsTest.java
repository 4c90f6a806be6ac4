package dev.pvmfw.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Shards split a campaign without overlap or gaps, and a scenario's seed depends only on the campaign and its index. */
class CampaignOptionsTest {
    @Test
    void shardsPartitionTheScenarioIndices() {
        int n = 5;
        Set<Long> seen = new TreeSet<>();
        for (int i = 0; i < n; i++) {
            CampaignOptions.Shard shard = new CampaignOptions.Shard(i, n);
            for (long j = 0; j < 100; j++) {
                long k = shard.scenarioIndex(j);
                assertEquals(i, k % n);
                assertEquals(true, seen.add(k), "index " + k + " in two shards");
            }
        }
        assertEquals(500, seen.size());
        assertEquals(0L, ((TreeSet<Long>) seen).first());
        assertEquals(499L, ((TreeSet<Long>) seen).last());
    }

    @Test
    void aScenarioSeedIsAFunctionOfTheCampaignSeedAndTheIndex() {
        Set<Long> seeds = new HashSet<>();
        for (long k = 0; k < 10_000; k++) {
            seeds.add(CampaignOptions.scenarioSeed(7, k));
        }
        assertEquals(10_000, seeds.size(), "distinct scenarios");
        assertEquals(CampaignOptions.scenarioSeed(7, 42), CampaignOptions.scenarioSeed(7, 42));
        assertNotEquals(CampaignOptions.scenarioSeed(7, 42), CampaignOptions.scenarioSeed(8, 42));
    }
}
