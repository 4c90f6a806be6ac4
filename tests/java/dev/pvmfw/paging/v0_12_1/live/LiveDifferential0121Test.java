package dev.pvmfw.paging.v0_12_1.live;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pvmfw.paging.CratePanic;
import dev.pvmfw.paging.MemoryRegion;
import dev.pvmfw.paging.PhysicalAddress;
import dev.pvmfw.paging.TableArena;
import dev.pvmfw.paging.TranslationPanic;
import dev.pvmfw.paging.VaRange;
import dev.pvmfw.paging.v0_12_1.AsidRegime;
import dev.pvmfw.paging.v0_12_1.Constraints;
import dev.pvmfw.paging.v0_12_1.El1And0;
import dev.pvmfw.paging.v0_12_1.El2;
import dev.pvmfw.paging.v0_12_1.El2And0;
import dev.pvmfw.paging.v0_12_1.El3;
import dev.pvmfw.paging.v0_12_1.MapError;
import dev.pvmfw.paging.v0_12_1.MapException;
import dev.pvmfw.paging.v0_12_1.Mapping;
import dev.pvmfw.paging.v0_12_1.PagingAttributes;
import dev.pvmfw.paging.v0_12_1.Regime;
import dev.pvmfw.paging.v0_12_1.Stage2;
import dev.pvmfw.paging.v0_12_1.UnitRegime;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The Java 0.12.1 engine against the real crate (the 0.12.1 oracle library), step by step over seeded random
 * scenarios: every regime and root level, both VA ranges, map/modify/walk/compact/activation steps biased to block
 * edges, live mappings, unmaps over tables and refusals; after each step the outcome (error, payload and texts, or
 * panic and message), the callback trace (range, level, bits before and after, refusals, {@code updated}), every byte
 * of the arena and the allocations and frees must be identical; then the drop. Skipped without the library (build it
 * with {@code ./mvnw -Poracle test}), unless {@code -Dpvmfw.oracle.required=true}.
 *
 * <p>A divergence prints the seed, the scenario and the step, and {@code -Dpvmfw.live0121.seed=S} replays one seed;
 * {@code -Dpvmfw.live0121.scenarios=N} sets the campaign's size (4000 scenarios, about 120,000 steps, by default). The
 * campaign must reach every error variant the regimes can produce, the crate's own panics, exhaustion, callback aborts,
 * callbacks and frees. Updaters never write TABLE_OR_PAGE below level 3 (see {@link Decider#decide}).
 */
class LiveDifferential0121Test {
    static final long MASK = 0x0000_ffff_ffff_f000L;
    static final long VALID = 1;
    static final long TABLE_OR_PAGE = 2;

    /** How the updater or visitor of the current step decides, call by call (the same on both sides). */
    record Decider(long seed) {
        long mix(long call) {
            long z = seed + call * 0x9e37_79b9_7f4a_7c15L;
            z = (z ^ (z >>> 30)) * 0xbf58_476d_1ce4_e5b9L;
            z = (z ^ (z >>> 27)) * 0x94d0_49bb_1331_11ebL;
            return z ^ (z >>> 31);
        }

        /**
         * {action kind, arg0, arg1, result} for call {@code call} on a descriptor with {@code bits} at {@code level}.
         * TABLE_OR_PAGE is written at level 3 only: below it, VALID | TABLE_OR_PAGE with an arbitrary PA would be a
         * subtable pointer to memory that is no table, whose free panics while the drop of an active mapping is
         * already unwinding — which aborts the Rust process (a double panic), an outcome the oracle cannot report.
         */
        long[] decide(long call, long bits, long start, int level) {
            long r = mix(call);
            int a = (int) Long.remainderUnsigned(r, 10);
            long kind;
            long arg0 = 0;
            long arg1 = 0;
            long flagBits = bits & ~MASK;
            if (a < 3) {
                kind = 0;
            } else if (a < 6) {
                kind = 2; // modify_flags
                long[] palette = {VALID, 1L << 7, 1L << 10, 1L << 55, 1L << 54, TABLE_OR_PAGE, 1L << 11, 1L << 48,
                    0x300, 1L << 6};
                arg0 = (r >>> 8 & 1) == 0 ? palette[(int) ((r >>> 12) & 7)] : 0;
                arg1 = (r >>> 9 & 1) == 0 ? palette[(int) ((r >>> 16) % 10)] : 0;
                if (level < 3 && (bits & TABLE_OR_PAGE) != 0) {
                    arg0 &= ~VALID; // an invalid 0b10 entry must not become a subtable pointer
                }
            } else if (a < 9) {
                kind = 1; // set
                int which = (int) ((r >>> 20) & 3);
                arg0 = which == 0 ? bits & MASK : which == 1 ? start : (r >>> 24) << 12;
                arg1 = (r >>> 40 & 1) == 0 ? flagBits | VALID : (r >>> 41 & 1) == 0 ? flagBits ^ (1L << 7)
                        : flagBits | VALID | TABLE_OR_PAGE;
                if (level < 3) {
                    arg1 = (arg1 & TABLE_OR_PAGE) != 0 && (r >>> 42 & 1) == 0 ? arg1 & ~VALID : arg1 & ~TABLE_OR_PAGE;
                }
            } else {
                kind = 0;
            }
            int res = (int) Long.remainderUnsigned(r >>> 50, 40);
            long result = res == 0 ? 1 : res == 1 ? 2 : 0;
            return new long[] {kind, arg0, arg1, result};
        }
    }

    static Decider current;
    static long nativeCalls;
    /** Outcomes seen (the first word or two of each step's outcome), to show what the campaign reached. */
    static final java.util.TreeMap<String, Integer> SEEN = new java.util.TreeMap<>();

    /** The native updater upcall. */
    static int nativeUpdater(MemorySegment ctx, long start, long end, long bits, int level, MemorySegment action) {
        long[] d = current.decide(nativeCalls++, bits, start, level);
        MemorySegment a = action.reinterpret(Oracle0121.ACTION.byteSize());
        a.set(ValueLayout.JAVA_INT, 0, (int) d[0]);
        a.set(ValueLayout.JAVA_LONG, 8, d[1]);
        a.set(ValueLayout.JAVA_LONG, 16, d[2]);
        return (int) d[3];
    }

    /** The native visitor upcall. */
    static int nativeVisitor(MemorySegment ctx, long start, long end, long bits, int level) {
        return (int) current.decide(nativeCalls++, bits, start, level)[3];
    }

    @Test
    void randomScenariosStepByStep() throws Throwable {
        Oracle0121 oracle = Oracle0121.get();
        if (oracle == null && Boolean.getBoolean("pvmfw.oracle.required")) {
            fail("the 0.12.1 oracle is required (-Poracle) but unavailable: " + Oracle0121.unavailable());
        }
        assumeTrue(oracle != null, () -> "live 0.12.1 cross-check skipped: " + Oracle0121.unavailable());
        String one = System.getProperty("pvmfw.live0121.seed");
        int scenarios = Integer.getInteger("pvmfw.live0121.scenarios", 4000);
        long steps = 0;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment updater = Oracle0121.upcall(Oracle0121.staticHandle(LiveDifferential0121Test.class,
                    "nativeUpdater", MethodType.methodType(int.class, MemorySegment.class, long.class, long.class,
                            long.class, int.class, MemorySegment.class)), Oracle0121.UPDATER, arena);
            MemorySegment visitor = Oracle0121.upcall(Oracle0121.staticHandle(LiveDifferential0121Test.class,
                    "nativeVisitor", MethodType.methodType(int.class, MemorySegment.class, long.class, long.class,
                            long.class, int.class)), Oracle0121.VISITOR, arena);
            long base = one != null ? Long.decode(one) : 0x0121_0000L;
            for (int i = 0; i < (one != null ? 1 : scenarios); i++) {
                long seed = base + i;
                steps += new Run(oracle, seed, updater, visitor).run();
            }
        }
        System.out.println("LiveDifferential0121Test: " + steps + " steps, 0 divergences (" + VERSIONS_NOTE + "); "
                + "outcomes " + SEEN);
        if (one == null && scenarios >= 400) {
            // The campaign must reach the interesting outcomes, or it proves little.
            for (String needed : List.of("err 3", "err 4", "err 5", "err 6", "panic 0", "panic 1", "panic 10", "frees",
                    "callbacks")) {
                assertTrue(SEEN.getOrDefault(needed, 0) > 0, () -> "no step ended in " + needed + ": " + SEEN);
            }
        }
    }

    static final String VERSIONS_NOTE = Oracle0121.VERSIONS;

    /** One scenario on both engines. */
    static final class Run {
        final Oracle0121 o;
        final long seed;
        final SplittableRandom rnd;
        final MemorySegment updater;
        final MemorySegment visitor;
        final List<String> log = new ArrayList<>();

        Run(Oracle0121 o, long seed, MemorySegment updater, MemorySegment visitor) {
            this.o = o;
            this.seed = seed;
            this.rnd = new SplittableRandom(seed);
            this.updater = updater;
            this.visitor = visitor;
        }

        int run() throws Throwable {
            int regime = rnd.nextInt(5);
            int level = rnd.nextInt(100) == 0 ? 4 : rnd.nextInt(4);
            boolean asidRegime = regime < 2;
            boolean upper = asidRegime && rnd.nextInt(3) == 0;
            long asid = asidRegime ? rnd.nextInt(4) : 0;
            int slots = rnd.nextInt(4) == 0 ? 3 + rnd.nextInt(6) : 8 + rnd.nextInt(56);
            long paBase = switch (rnd.nextInt(4)) {
                case 0 -> 0;
                case 1 -> (1L << 48) - (long) slots * 4096;
                default -> (rnd.nextLong(1L << 36)) << 12;
            };
            log.add("seed " + seed + ": regime " + regime + " level " + level + (upper ? " upper" : " lower") + " asid "
                    + asid + " slots " + slots + " pa_base 0x" + Long.toHexString(paBase));
            try (Arena mem = Arena.ofConfined(); TableArena javaArena = TableArena.create(slots, paBase)) {
                MemorySegment rustArena = mem.allocate((long) slots * 4096, 4096);
                MemorySegment result = mem.allocate(Oracle0121.RESULT);
                MemorySegment handle = (MemorySegment) o.tableNew.invokeExact(rustArena, (long) slots, paBase, regime,
                        level, upper ? 1 : 0, asid, result);
                Oracle0121.Result r = Oracle0121.Result.read(result);
                Regime<?> javaRegime = switch (regime) {
                    case 0 -> El1And0.INSTANCE;
                    case 1 -> El2And0.INSTANCE;
                    case 2 -> El2.INSTANCE;
                    case 3 -> El3.INSTANCE;
                    default -> Stage2.INSTANCE;
                };
                Mapping<?> java;
                String javaNew;
                try {
                    java = newMapping(javaArena, javaRegime, level, upper, asid);
                    javaNew = "ok 0";
                } catch (CratePanic p) {
                    java = null;
                    javaNew = panicText(p);
                }
                compare("new", javaNew, rustText(r), List.of(), List.of());
                if (java == null) {
                    return 1;
                }
                int javaEvents = 0;
                int rustEvents = 0;
                long size = java.size();
                long vaBase = upper ? -size : 0;
                int steps = 10 + rnd.nextInt(40);
                MemorySegment trace = mem.allocate(Oracle0121.TRACE, 4096);
                MemorySegment traceLen = mem.allocate(ValueLayout.JAVA_LONG);
                MemorySegment events = mem.allocate(ValueLayout.JAVA_INT, 1 << 16);
                for (int s = 0; s < steps; s++) {
                    Step step = Step.random(rnd, level, size, vaBase);
                    log.add("  step " + s + ": " + step);
                    List<Oracle0121.Trace> javaTrace = new ArrayList<>();
                    String javaOut = step.runJava(java, javaTrace);
                    String rustOut = step.runRust(o, handle, result, updater, visitor, trace, traceLen);
                    List<Oracle0121.Trace> rustTrace = step.traced()
                            ? Oracle0121.traces(trace, Math.min(4096, traceLen.get(ValueLayout.JAVA_LONG, 0)))
                            : List.of();
                    compare("step " + s, javaOut, rustOut, javaTrace, rustTrace);
                    String[] w = javaOut.split(" ");
                    SEEN.merge(w[0].equals("ok") ? "ok" : w[0] + " " + w[1], 1, Integer::sum);
                    if (!javaTrace.isEmpty()) {
                        SEEN.merge("callbacks", javaTrace.size(), Integer::sum);
                    }
                    long mismatch = javaArena.segment().mismatch(rustArena);
                    if (mismatch >= 0) {
                        divergence("step " + s + ": arena bytes differ at offset " + mismatch + " (slot "
                                + mismatch / 4096 + " entry " + (mismatch % 4096) / 8 + "): java 0x"
                                + Long.toHexString(javaArena.segment().get(ValueLayout.JAVA_LONG, mismatch & ~7))
                                + " rust 0x" + Long.toHexString(rustArena.get(ValueLayout.JAVA_LONG, mismatch & ~7)));
                    }
                    int[] je = javaArena.eventsSince(javaEvents);
                    javaEvents = javaArena.eventCount();
                    long n = (long) o.eventLog.invokeExact(handle, events, 1L << 16);
                    int[] re = Arrays.copyOfRange(events.toArray(ValueLayout.JAVA_INT), rustEvents, (int) n);
                    rustEvents = (int) n;
                    if (!Arrays.equals(je, re)) {
                        divergence("step " + s + ": events java " + Arrays.toString(je) + " rust " + Arrays.toString(re));
                    }
                    if (Arrays.stream(je).anyMatch(e -> e < 0)) {
                        SEEN.merge("frees", 1, Integer::sum);
                    }
                }
                String javaDrop;
                try {
                    java.close();
                    javaDrop = "ok 0";
                } catch (CratePanic p) {
                    javaDrop = panicText(p);
                }
                int code = (int) o.drop.invokeExact(handle, result);
                compare("drop", javaDrop, rustText(Oracle0121.Result.read(result)), List.of(), List.of());
                int[] je = javaArena.eventsSince(javaEvents);
                long n = (long) o.eventLog.invokeExact(handle, events, 1L << 16);
                int[] re = Arrays.copyOfRange(events.toArray(ValueLayout.JAVA_INT), rustEvents, (int) n);
                if (!Arrays.equals(je, re)) {
                    divergence("drop: free order java " + Arrays.toString(je) + " rust " + Arrays.toString(re));
                }
                o.free.invokeExact(handle);
                return steps + 2;
            }
        }

        void compare(String where, String java, String rust, List<Oracle0121.Trace> jt, List<Oracle0121.Trace> rt) {
            if (!java.equals(rust)) {
                divergence(where + ": java " + java + "\n    rust " + rust);
            }
            if (!jt.equals(rt)) {
                divergence(where + ": traces differ\n    java " + jt + "\n    rust " + rt);
            }
        }

        void divergence(String what) {
            fail("DIVERGENCE (reproduce: -Dpvmfw.live0121.seed=" + seed + ")\n" + String.join("\n", log) + "\n" + what);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static Mapping<?> newMapping(TableArena arena, Regime<?> regime, int level, boolean upper, long asid) {
        if (regime instanceof AsidRegime a) {
            return Mapping.withAsidAndVaRange(arena, asid, level, a, upper ? VaRange.UPPER : VaRange.LOWER);
        }
        return new Mapping(arena, level, (UnitRegime) regime);
    }

    static String rustText(Oracle0121.Result r) {
        return switch (r.code()) {
            case 0 -> "ok " + Long.toHexString(r.value0());
            case 10 -> "panic " + r.kind() + " " + r.message();
            default -> "err " + r.code() + " " + Long.toHexString(r.value0()) + " " + Long.toHexString(r.value1()) + " "
                    + r.message() + " | " + r.debug();
        };
    }

    static String panicText(CratePanic p) {
        int kind = p instanceof TranslationPanic t ? switch (t.kind()) {
            case EXHAUSTED -> 1;
            case BAD_ADDRESS -> 2;
            case BAD_FREE -> 3;
            default -> 99;
        } : p instanceof Aborted ? 10 : 0;
        return "panic " + kind + " " + p.getMessage();
    }

    static String errorText(MapError e) {
        int code;
        long v0 = 0;
        long v1 = 0;
        switch (e) {
            case MapError.AddressRange a -> {
                code = 1;
                v0 = a.va().value();
            }
            case MapError.InvalidVirtualAddress a -> {
                code = 2;
                v0 = a.va().value();
            }
            case MapError.RegionBackwards b -> {
                code = 3;
                v0 = b.region().startValue();
                v1 = b.region().endValue();
            }
            case MapError.PteUpdateFault f -> {
                code = 4;
                v0 = f.descriptor();
            }
            case MapError.InvalidFlags f -> {
                code = 5;
                v0 = f.flags();
            }
            case MapError.BreakBeforeMakeViolation b -> {
                code = 6;
                v0 = b.region().startValue();
                v1 = b.region().endValue();
            }
        }
        return "err " + code + " " + Long.toHexString(v0) + " " + Long.toHexString(v1) + " " + e.display() + " | " + e;
    }

    /** The Java updater's abort: the Rust side panics with this message and kind CALLBACK. */
    static final class Aborted extends CratePanic {
        private static final long serialVersionUID = 1L;

        Aborted() {
            super("the updater aborted");
        }
    }

    /** One random step. */
    record Step(String op, long start, long end, long pa, long flags, long constraints, long decider) {
        static Step random(SplittableRandom rnd, int rootLevel, long size, long vaBase) {
            int k = rnd.nextInt(100);
            String op = k < 45 ? "map" : k < 65 ? "modify" : k < 75 ? "walk" : k < 80 ? "compact" : k < 86
                    ? "activate" : k < 90 ? "deactivate" : k < 93 ? "mark_active" : "mark_inactive";
            int gl = rootLevel + rnd.nextInt(4 - rootLevel);
            long gran = 4096L << 9 * (3 - gl);
            long entries = Math.max(1, Long.divideUnsigned(size, gran));
            long start = vaBase + gran * rnd.nextLong(Math.min(entries, 1L << 20));
            long len = rnd.nextInt(3) == 0 ? 4096L * (1 + rnd.nextInt(4)) : gran * (1 + rnd.nextInt(3));
            if (rnd.nextInt(4) == 0) {
                start += 4096L * rnd.nextInt(512);
            }
            long end = start + len;
            int odd = rnd.nextInt(40);
            if (odd == 0) {
                end = start - 4096; // backwards
            } else if (odd == 1) {
                end = vaBase + size + 4096; // beyond the table
            } else if (odd == 2) {
                start = vaBase == 0 ? -4096L : 0; // the other range
            }
            long pa = switch (rnd.nextInt(4)) {
                case 0 -> start & MASK;
                case 1 -> (rnd.nextLong(1L << 36) << 12) & ~(gran - 1) & MASK;
                case 2 -> rnd.nextLong(1L << 36) << 12;
                default -> 0;
            };
            long[] palette = {0xf05, 0x40_0000_0000_0f05L, 0xf85, 0x00c0_0000_0000_0400L, 0x00c0_0000_0000_0401L, 0,
                0x7fd, 0x77d, 0x40_0000_0000_0705L, 0x400, 0x0400_0000_0000_0400L};
            long flags = palette[rnd.nextInt(palette.length)];
            int f = rnd.nextInt(30);
            if (f == 0) {
                flags |= TABLE_OR_PAGE;
            } else if (f == 1) {
                flags = rnd.nextLong();
            } else if (f == 2) {
                flags |= 1L << 16; // NT, inside the address field
            } else if (f == 3) {
                flags ^= 1L << 7;
            }
            long constraints = rnd.nextInt(5) == 0 ? rnd.nextInt(4) : rnd.nextInt(50) == 0 ? 4 : 0;
            return new Step(op, start, end, pa, flags, constraints, rnd.nextLong());
        }

        boolean traced() {
            return op.equals("modify") || op.equals("walk");
        }

        @Override
        public String toString() {
            return switch (op) {
                case "map" -> String.format("map 0x%x..0x%x pa=0x%x flags=0x%x constraints=0x%x", start, end, pa, flags,
                        constraints);
                case "modify", "walk" -> String.format("%s 0x%x..0x%x decider=%d", op, start, end, decider);
                default -> op;
            };
        }

        <A extends PagingAttributes<A>> String runJava(Mapping<A> m, List<Oracle0121.Trace> trace) {
            PagingAttributes.Type<A> type = m.root().regime().attributes();
            Decider d = new Decider(decider);
            long[] calls = {0};
            try {
                switch (op) {
                    case "map" -> m.mapRange(MemoryRegion.of(start, end), new PhysicalAddress(pa),
                            type.fromBitsRetain(flags), Constraints.fromBitsRetain(constraints));
                    case "modify" -> m.modifyRange(MemoryRegion.of(start, end), (range, desc) -> {
                        long before = desc.bits();
                        long[] x = d.decide(calls[0]++, before, range.startValue(), desc.level());
                        int applied = 0;
                        if (x[0] == 1) {
                            applied = desc.set(new PhysicalAddress(x[1]), type.fromBitsRetain(x[2])) ? 1 : 2;
                        } else if (x[0] == 2) {
                            applied = desc.modifyFlags(type.fromBitsRetain(x[1]), type.fromBitsRetain(x[2])) ? 1 : 2;
                        }
                        trace.add(new Oracle0121.Trace(range.startValue(), range.endValue(), desc.level(), applied,
                                before, desc.bits(), (int) x[3], desc.updated() ? 1 : 0));
                        if (x[3] == 2) {
                            throw new Aborted();
                        }
                        return x[3] == 0;
                    });
                    case "walk" -> m.walkRange(MemoryRegion.of(start, end), (range, desc, level) -> {
                        long[] x = d.decide(calls[0]++, desc.bits(), range.startValue(), level);
                        trace.add(new Oracle0121.Trace(range.startValue(), range.endValue(), level, 0, desc.bits(),
                                desc.bits(), (int) x[3], 0));
                        if (x[3] == 2) {
                            throw new Aborted();
                        }
                        return x[3] == 0;
                    });
                    case "compact" -> m.compactSubtables();
                    case "activate" -> {
                        return "ok " + Long.toHexString(m.activate());
                    }
                    case "deactivate" -> m.deactivate(-1L);
                    case "mark_active" -> m.markActive();
                    default -> m.markInactive();
                }
                return "ok 0";
            } catch (MapException e) {
                return errorText(e.error());
            } catch (CratePanic p) {
                return panicText(p);
            }
        }

        String runRust(Oracle0121 o, MemorySegment h, MemorySegment result, MemorySegment updater,
                MemorySegment visitor, MemorySegment trace, MemorySegment traceLen) throws Throwable {
            current = new Decider(decider);
            nativeCalls = 0;
            int code = switch (op) {
                case "map" -> (int) o.mapRange.invokeExact(h, start, end, pa, flags, constraints, result);
                case "modify" -> (int) o.modifyRange.invokeExact(h, start, end, updater, MemorySegment.NULL, trace,
                        4096L, traceLen, result);
                case "walk" -> (int) o.walkRange.invokeExact(h, start, end, visitor, MemorySegment.NULL, trace, 4096L,
                        traceLen, result);
                case "compact" -> (int) o.compact.invokeExact(h, result);
                case "activate" -> (int) o.activate.invokeExact(h, result);
                case "deactivate" -> (int) o.deactivate.invokeExact(h, -1L, result);
                case "mark_active" -> (int) o.markActive.invokeExact(h, result);
                default -> (int) o.markInactive.invokeExact(h, result);
            };
            return rustText(Oracle0121.Result.read(result));
        }
    }
}
