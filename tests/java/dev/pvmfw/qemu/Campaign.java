package dev.pvmfw.qemu;

import dev.pvmfw.mmu.CpuFeatures;
import dev.pvmfw.mmu.DescriptorKind;
import dev.pvmfw.mmu.MmuConfig;
import dev.pvmfw.mmu.PhysicalMap;
import dev.pvmfw.mmu.TableVisitor;
import dev.pvmfw.mmu.WalkResult;
import dev.pvmfw.mmu.Walker;
import dev.pvmfw.oracle.engine.JavaEngine;
import dev.pvmfw.oracle.engine.Outcome;
import dev.pvmfw.oracle.generator.ScenarioGenerator;
import dev.pvmfw.oracle.scenario.Scenario;
import dev.pvmfw.oracle.scenario.Step;
import dev.pvmfw.paging.Geometry;
import dev.pvmfw.paging.SlotMemory;
import dev.pvmfw.paging.VaRange;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The campaign's cases: images made by the project's own tools (the scenario generator's random and tracker
 * scenarios, run on the Java engine: 0.4.0's tables with its invalid "garbage", lazy MMIO entries, blocks, pages,
 * zero entries), each under a configuration drawn from T0SZ/T1SZ 16..48 (the generator's root levels, and between
 * them), TTBR0 or TTBR1, IPS 40/44/48, HA and HD on and off, two MAIRs; and biased addresses: mapped pages and
 * block interiors and edges, every kind of non-zero entry, random VAs, the range's ends and just outside it.
 */
final class Campaign {
    /**
     * Every image is placed here (scenarios are rebased to it: the generator's PA bases 0 and 2^48 − n do not fit in
     * the board's RAM).
     */
    static final long IMAGE_PA = 0x4000_0000L;

    /**
     * The board as the model sees it during a run: QEMU virt with 1 GiB, the harness's RAM (batch, program,
     * results) not modelled.
     */
    static final PhysicalMap BOARD = PhysicalMap.qemuVirt(1L << 30).with(new PhysicalMap.Region(0x6000_0000L,
            0x8000_0000L, PhysicalMap.Contents.UNKNOWN, "harness"));

    /** Where a real load may go when AT says it translates there: flash, the images' RAM, and unassigned space. */
    static final List<long[]> READ_WINDOWS = List.of(new long[] {0, 0x0800_0000L},
            new long[] {0x4000_0000L, 0x6000_0000L}, new long[] {0x8000_0000L, 256L << 30},
            new long[] {1L << 40, 1L << 52});
    /** The same for stores: not the flash (a write there is a flash command). */
    static final List<long[]> WRITE_WINDOWS = List.of(new long[] {0x4000_0000L, 0x6000_0000L},
            new long[] {0x8000_0000L, 256L << 30}, new long[] {1L << 40, 1L << 52});

    private static final long PVMFW_LIKE_MAIR = 0x44_ff04L; // 0 Device-nGnRE, 1 Normal WB, 2 Normal NC

    /** The name of the demo's own table, which runs under pvmfw's configuration (T0SZ 25, HA = HD = 0). */
    static final String DEMO = "demo";

    /**
     * The demo's page table before teardown, as {@code pvmfw-paging demo --save} writes it (an arena at
     * 0x4000_0000, root in slot 0).
     */
    static Image demo(java.nio.file.Path dir) throws java.io.IOException {
        java.nio.file.Path file = dir.resolve("demo.img");
        java.io.PrintStream sink = new java.io.PrintStream(java.io.OutputStream.nullOutputStream());
        int status = dev.pvmfw.tool.Main.run(new String[] {"demo", "--save", file.toString()}, sink, sink);
        if (status != 0) {
            throw new AssertionError("pvmfw-paging demo --save failed: " + status);
        }
        byte[] bytes = java.nio.file.Files.readAllBytes(file);
        java.nio.file.Files.delete(file);
        return new Image(DEMO, bytes, dev.pvmfw.paging.TableArena.DEFAULT_PA_BASE, 1, VaRange.LOWER);
    }

    /** An image made by the tools. */
    record Image(String name, byte[] bytes, long rootPa, int rootLevel, VaRange range, List<long[]> hot) {
        Image(String name, byte[] bytes, long rootPa, int rootLevel, VaRange range) {
            this(name, bytes, rootPa, rootLevel, range, List.of());
        }
    }

    private Campaign() {}

    /** The image a scenario's steps (all but its final drop) leave in the arena, rebased to {@link #IMAGE_PA}. */
    static Optional<Image> imageOf(Scenario s) {
        List<Step> steps = new ArrayList<>(s.steps());
        if (steps.getLast() instanceof Step.DropTable) {
            steps.removeLast();
        }
        if ((long) s.slots() * Geometry.PAGE_SIZE > 0x1000_0000L) {
            return Optional.empty();
        }
        Scenario rebased = new Scenario(s.name(), s.profile(), s.slots(), IMAGE_PA, steps);
        try (JavaEngine engine = new JavaEngine(rebased)) {
            for (Step step : steps) {
                Outcome o = engine.apply(step).outcome();
                if (step == steps.getFirst() && !(o instanceof Outcome.Ok)) {
                    return Optional.empty();
                }
            }
            if (engine.rootPa().isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new Image(s.name(), engine.image().toArray(ValueLayout.JAVA_BYTE),
                    engine.rootPa().getAsLong(), rebased.rootLevel(), rebased.vaRange()));
        }
    }

    /**
     * {@code count} images from seeds {@code seed}, {@code seed + 1}, …: a quarter tracker scenarios; every third
     * also {@link #mutate mutated}.
     */
    static List<Image> images(long seed, int count) {
        List<Image> out = new ArrayList<>();
        SplittableRandom r = new SplittableRandom(seed);
        for (long s = seed; out.size() < count; s++) {
            Scenario sc = (s & 3) == 3 ? ScenarioGenerator.generateTracker(s, 24) : ScenarioGenerator.generate(s, 24);
            Optional<Image> image = imageOf(sc);
            if (image.isPresent() && out.size() % 3 == 2) {
                image = Optional.of(mutate(image.get(), r));
            }
            image.ifPresent(out::add);
        }
        return out;
    }

    /** PAs a mutated table pointer goes to: flash, RAM nobody uses, unassigned space, a device, beyond 44 bits. */
    private static final long[] ELSEWHERE = {0x0010_0000L, 0x4800_0000L, 0x8000_0000L, 0x7_0000_0000L,
        0x0900_0000L, 1L << 44, (1L << 47) + 0x1000};

    /**
     * The image with a few of its non-zero descriptors changed as hand-edited or corrupted tables (and 0.4.0
     * callbacks) can change them: a table pointer sent {@link #ELSEWHERE}, APTable/UXNTable/PXNTable set, AF
     * cleared, a leaf made read-only with or without DBM, a level-0 entry made a block.
     */
    static Image mutate(Image image, SplittableRandom r) {
        byte[] bytes = image.bytes().clone();
        MemorySegment seg = MemorySegment.ofArray(bytes);
        SlotMemory memory = new SlotMemory(seg, IMAGE_PA);
        MmuConfig config = MmuConfig.of(Math.min(3, image.rootLevel()), image.range());
        List<long[]> entries = new ArrayList<>();
        List<long[]> tables = new ArrayList<>();
        Walker.traverse(memory, config, image.rootPa(), new TableVisitor() {
            @Override
            public void entry(long tablePa, int index, int level, long va, long descriptor, DescriptorKind kind) {
                (kind == DescriptorKind.TABLE ? tables : entries).add(new long[] {tablePa + 8L * index, level,
                        kind == DescriptorKind.TABLE ? 1 : 0, va});
            }
        });
        List<String> edits = new ArrayList<>();
        List<long[]> hot = new ArrayList<>();
        int n = 1 + r.nextInt(6);
        for (int k = 0; k < n && !(entries.isEmpty() && tables.isEmpty()); k++) {
            List<long[]> from = tables.isEmpty() || (!entries.isEmpty() && r.nextBoolean()) ? entries : tables;
            long[] e = from.get(r.nextInt(from.size()));
            long offset = e[0] - IMAGE_PA;
            long d = seg.get(ValueLayout.JAVA_LONG_UNALIGNED, offset);
            long nd;
            if (e[2] == 1) {
                nd = switch (r.nextInt(3)) {
                    case 0 -> (d & ~DescriptorKind.OUTPUT_ADDRESS_MASK) | ELSEWHERE[r.nextInt(ELSEWHERE.length)];
                    case 1 -> d | (long) (1 + r.nextInt(15)) << 59;
                    default -> e[1] == 0 ? (d & ~0b11L) | 0b01 : d | 1L << 62;
                };
            } else if ((d & 1) != 0) {
                nd = switch (r.nextInt(3)) {
                    case 0 -> d & ~(1L << 10);
                    case 1 -> d | 1L << 7;
                    default -> d | 1L << 7 | 1L << 51;
                };
            } else {
                continue;
            }
            seg.set(ValueLayout.JAVA_LONG_UNALIGNED, offset, nd);
            edits.add(Long.toHexString(e[0]));
            hot.add(new long[] {e[3], e[1]});
        }
        return new Image(image.name() + "+mutated@" + String.join(",", edits), bytes, image.rootPa(),
                image.rootLevel(), image.range(), hot);
    }

    /** One case per image, for a core with {@code features}, with about {@code perImage} addresses each. */
    static List<OracleCase> cases(List<Image> images, CpuFeatures features, long seed, int perImage) {
        SplittableRandom r = new SplittableRandom(seed);
        List<OracleCase> out = new ArrayList<>();
        for (Image image : images) {
            boolean pvmfw = image.name().equals(DEMO);
            int tnsz = 16 + 9 * image.rootLevel();
            if (!pvmfw && r.nextInt(4) == 0) {
                tnsz = Math.min(48, tnsz + 1 + r.nextInt(8));
            }
            int ips = pvmfw ? 5 : switch (r.nextInt(6)) {
                case 0 -> 2;
                case 1 -> 4;
                default -> 5;
            };
            boolean ha = !pvmfw && r.nextBoolean();
            boolean hd = !pvmfw && r.nextInt(3) == 0;
            long mair = !pvmfw && r.nextInt(4) == 0 ? PVMFW_LIKE_MAIR : MmuConfig.PVMFW_MAIR;
            MmuConfig config = MmuConfig.forTnsz(tnsz, image.range()).withOutputBits(CpuFeatures.ipsBits(ips))
                    .withHardwareManagement(ha, hd).withMair(mair).withFeatures(features).withMemoryMap(BOARD);
            SlotMemory memory = new SlotMemory(MemorySegment.ofArray(image.bytes()).asReadOnly(), IMAGE_PA);
            boolean lower = image.range() == VaRange.LOWER;
            List<Long> addrs = addresses(memory, config, image.rootPa(), image.hot(), perImage, r, lower);
            long tcr = lower ? OracleJob.tcr(tnsz, false, 25, true, ips, ha, hd)
                    : OracleJob.tcr(25, true, tnsz, false, ips, ha, hd);
            OracleJob job = new OracleJob(image.bytes(), IMAGE_PA, addrs, tcr, lower ? image.rootPa() : 0,
                    lower ? 0 : image.rootPa(), mair, OracleJob.SCTLR_MMU_ON, lower,
                    OracleJob.tcr(tnsz, false, 25, false, ips, ha, hd), image.rootPa(), READ_WINDOWS, WRITE_WINDOWS);
            String name = image.name() + " T" + (lower ? 0 : 1) + "SZ=" + tnsz + " IPS=" + CpuFeatures.ipsBits(ips)
                    + " HA=" + (ha ? 1 : 0) + " HD=" + (hd ? 1 : 0) + " MAIR=0x" + Long.toHexString(mair);
            out.add(new OracleCase(name, memory, config, image.rootPa(), job));
        }
        return out;
    }

    /** Biased addresses, 8-aligned; for a TTBR0 image none in the harness's TTBR1 window of the real phase. */
    static List<Long> addresses(SlotMemory memory, MmuConfig config, long rootPa, List<long[]> hot, int n,
            SplittableRandom r, boolean lower) {
        Set<Long> out = new LinkedHashSet<>();
        for (long[] h : hot) { // under each mutated entry
            long gran = Geometry.granularityAtLevel((int) h[1]);
            out.add(h[0]);
            for (int i = 0; i < 6; i++) {
                out.add(h[0] + (r.nextLong(gran) & ~7L));
            }
        }
        long base = config.vaBase();
        long size = config.vaSize();
        for (long a : new long[] {base, base + size - 8, base + size, base - 8, 0, -8, 1L << 47, -(1L << 47)}) {
            out.add(a);
        }
        List<WalkResult.Leaf> leaves = new ArrayList<>();
        try {
            leaves = Walker.validLeaves(memory, config.withMemoryMap(PhysicalMap.UNDESCRIBED), rootPa);
        } catch (RuntimeException e) {
            // a TnSZ the core does not allow, or such: the other addresses still run
        }
        List<long[]> entries = new ArrayList<>();
        Walker.traverse(memory, config.withMemoryMap(PhysicalMap.UNDESCRIBED), rootPa, new TableVisitor() {
            @Override
            public void entry(long tablePa, int index, int level, long va, long descriptor, DescriptorKind kind) {
                entries.add(new long[] {va, level});
            }
        });
        int budget = n;
        int guard = 0;
        while (out.size() < budget * 2 / 5 && !leaves.isEmpty() && guard++ < budget * 4) {
            WalkResult.Leaf l = leaves.get(r.nextInt(leaves.size()));
            switch (r.nextInt(3)) {
                case 0 -> out.add(l.va());
                case 1 -> out.add(l.va() + l.size() - 8);
                default -> out.add(l.va() + (r.nextLong(l.size()) & ~7L));
            }
            if (out.size() >= budget) {
                break;
            }
        }
        guard = 0;
        while (out.size() < budget * 4 / 5 && !entries.isEmpty() && guard++ < budget * 4) {
            long[] e = entries.get(r.nextInt(entries.size()));
            long gran = Geometry.granularityAtLevel((int) e[1]);
            out.add(r.nextBoolean() ? e[0] : e[0] + (r.nextLong(gran) & ~7L));
        }
        guard = 0;
        while (out.size() < budget && guard++ < budget * 4) {
            out.add(base + (r.nextLong(size) & ~7L));
        }
        List<Long> list = new ArrayList<>();
        for (long a : out) {
            if (!lower || Long.compareUnsigned(a, OracleJob.HARNESS_OFFSET) < 0) {
                list.add(a);
            }
        }
        return list;
    }
}
