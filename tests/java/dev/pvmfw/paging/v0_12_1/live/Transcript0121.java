package dev.pvmfw.paging.v0_12_1.live;

import dev.pvmfw.bindings.v0_12_1.PvpResult;
import dev.pvmfw.bindings.v0_12_1.PvpTraceEntry;
import dev.pvmfw.paging.CratePanic;
import dev.pvmfw.paging.TableArena;
import dev.pvmfw.paging.v0_12_1.Mapping;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One scenario of {@link LiveDifferential0121Test}'s generator as text lines, produced either by the live crate (the
 * 0.12.1 oracle, to record golden vectors) or by the Java engine (to replay them without the crate). Both sides format
 * through the same code, so a line differs only when the engines do:
 *
 * <pre>
 * scenario SEED regime=R level=L range=lower|upper asid=A slots=S pa-base=0x…
 * new OUTCOME                       (then changed/events, as after every step)
 * step I DESCRIPTION                (LiveDifferential0121Test.Step#toString)
 * =&gt; OUTCOME                        ("ok V", "err CODE V0 V1 DISPLAY | DEBUG", "panic KIND MESSAGE")
 * trace START END LEVEL APPLIED BEFORE AFTER RESULT UPDATED   (each callback call, in order)
 * changed SLOT:ENTRY=0xV[+0xSTEP*N] … (every 8-byte entry of the arena that changed, runs folded; or "-")
 * events E,…                        (allocations and frees the arena logged, or "-")
 * drop OUTCOME
 * digest SHA-256                    (of the whole arena after the drop)
 * </pre>
 *
 * Texts are escaped ({@code \\}, {@code \n}, {@code \r}) so that every record is one line.
 */
final class Transcript0121 {
    private Transcript0121() {}

    /** The Java engine's transcript of scenario {@code seed}. */
    static List<String> java(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        LiveDifferential0121Test.Setup su = LiveDifferential0121Test.Setup.draw(rnd);
        List<String> out = new ArrayList<>();
        out.add(header(seed, su));
        try (TableArena arena = TableArena.create(su.slots(), su.paBase())) {
            long[] seen = new long[su.slots() * 512];
            int[] events = {0};
            Mapping<?> m;
            String made;
            try {
                m = LiveDifferential0121Test.newMapping(arena, su.javaRegime(), su.level(), su.upper(), su.asid());
                made = "ok 0";
            } catch (CratePanic p) {
                m = null;
                made = LiveDifferential0121Test.panicText(p);
            }
            out.add("new " + escape(made));
            Runnable after = () -> {
                out.add(changed(arena.segment(), seen));
                out.add(events(arena.eventsSince(events[0])));
                events[0] = arena.eventCount();
            };
            after.run();
            if (m == null) {
                out.add("digest " + digest(arena.segment()));
                return out;
            }
            int steps = LiveDifferential0121Test.Setup.steps(rnd);
            for (int s = 0; s < steps; s++) {
                LiveDifferential0121Test.Step step = LiveDifferential0121Test.Step.random(rnd, su.level(), m.size(),
                        su.upper() ? -m.size() : 0);
                List<Oracle0121.Trace> trace = new ArrayList<>();
                String outcome = step.runJava(m, trace);
                stepLines(out, s, step, outcome, trace);
                after.run();
            }
            String dropped;
            try {
                m.close();
                dropped = "ok 0";
            } catch (CratePanic p) {
                dropped = LiveDifferential0121Test.panicText(p);
            }
            out.add("drop " + escape(dropped));
            after.run();
            out.add("digest " + digest(arena.segment()));
        }
        return out;
    }

    /**
     * The live crate's transcript of scenario {@code seed}; {@code updater} and {@code visitor} are the upcall stubs of
     * {@link LiveDifferential0121Test#nativeUpdater} and {@link LiveDifferential0121Test#nativeVisitor}.
     */
    static List<String> rust(Oracle0121 o, long seed, MemorySegment updater, MemorySegment visitor) {
        SplittableRandom rnd = new SplittableRandom(seed);
        LiveDifferential0121Test.Setup su = LiveDifferential0121Test.Setup.draw(rnd);
        List<String> out = new ArrayList<>();
        out.add(header(seed, su));
        try (Arena mem = Arena.ofConfined()) {
            MemorySegment arena = mem.allocate((long) su.slots() * 4096, 4096);
            MemorySegment result = PvpResult.allocate(mem);
            MemorySegment trace = PvpTraceEntry.allocateArray(4096, mem);
            MemorySegment traceLen = mem.allocate(ValueLayout.JAVA_LONG);
            MemorySegment buf = mem.allocate(ValueLayout.JAVA_INT, 1 << 16);
            long[] seen = new long[su.slots() * 512];
            int[] events = {0};
            MemorySegment h = o.tableNew(arena, su.slots(), su.paBase(), su.regime(), su.level(), su.upper(), su.asid(),
                    result);
            Oracle0121.Result made = Oracle0121.Result.read(result);
            out.add("new " + escape(LiveDifferential0121Test.rustText(made)));
            Runnable after = () -> {
                out.add(changed(arena, seen));
                int[] all = h.address() == 0 ? new int[0] : o.events(h, buf);
                out.add(events(java.util.Arrays.copyOfRange(all, events[0], all.length)));
                events[0] = all.length;
            };
            after.run();
            if (made.code() != 0 || h.address() == 0) {
                if (h.address() != 0) {
                    o.free(h);
                }
                out.add("digest " + digest(arena));
                return out;
            }
            long size = o.size(h);
            int steps = LiveDifferential0121Test.Setup.steps(rnd);
            for (int s = 0; s < steps; s++) {
                LiveDifferential0121Test.Step step = LiveDifferential0121Test.Step.random(rnd, su.level(), size,
                        su.upper() ? -size : 0);
                String outcome = step.runRust(o, h, result, updater, visitor, trace, traceLen);
                List<Oracle0121.Trace> traced = step.traced()
                        ? Oracle0121.traces(trace, Math.min(4096, traceLen.get(ValueLayout.JAVA_LONG, 0)))
                        : List.of();
                stepLines(out, s, step, outcome, traced);
                after.run();
            }
            o.drop(h, result);
            out.add("drop " + escape(LiveDifferential0121Test.rustText(Oracle0121.Result.read(result))));
            after.run();
            o.free(h);
            out.add("digest " + digest(arena));
        }
        return out;
    }

    static String header(long seed, LiveDifferential0121Test.Setup su) {
        return "scenario " + seed + " regime=" + su.regime() + " level=" + su.level() + " range="
                + (su.upper() ? "upper" : "lower") + " asid=" + su.asid() + " slots=" + su.slots() + " pa-base=0x"
                + Long.toHexString(su.paBase());
    }

    private static void stepLines(List<String> out, int s, LiveDifferential0121Test.Step step, String outcome,
            List<Oracle0121.Trace> trace) {
        out.add("step " + s + " " + step);
        out.add("=> " + escape(outcome));
        for (Oracle0121.Trace t : trace) {
            out.add("trace " + Long.toHexString(t.start()) + " " + Long.toHexString(t.end()) + " " + t.level() + " "
                    + t.applied() + " " + Long.toHexString(t.before()) + " " + Long.toHexString(t.after()) + " "
                    + t.result() + " " + t.updated());
        }
    }

    /**
     * Every entry of {@code arena} that differs from {@code seen} (which is updated), as one line. A run of
     * consecutive changed entries whose values step by a constant (a block range, an unmap) is written once:
     * {@code SLOT:ENTRY=0xFIRST+0xSTEP*COUNT}; a lone entry as {@code SLOT:ENTRY=0xVALUE}.
     */
    static String changed(MemorySegment arena, long[] seen) {
        List<Integer> at = new ArrayList<>();
        MemorySegment before = MemorySegment.ofArray(seen);
        long size = (long) seen.length * Long.BYTES;
        long from = 0;
        long m;
        while (from < size && (m = MemorySegment.mismatch(arena, from, size, before, from, size)) >= 0) {
            int i = (int) ((from + m) / Long.BYTES);
            at.add(i);
            seen[i] = arena.getAtIndex(ValueLayout.JAVA_LONG, i);
            from = (i + 1L) * Long.BYTES;
        }
        if (at.isEmpty()) {
            return "changed -";
        }
        StringBuilder b = new StringBuilder("changed");
        for (int k = 0; k < at.size();) {
            int i = at.get(k);
            int n = 1;
            long step = 0;
            if (k + 1 < at.size() && at.get(k + 1) == i + 1) {
                step = seen[i + 1] - seen[i];
                n = 2;
                while (k + n < at.size() && at.get(k + n) == i + n && seen[i + n] - seen[i + n - 1] == step) {
                    n++;
                }
            }
            b.append(' ').append(i / 512).append(':').append(i % 512).append("=0x").append(Long.toHexString(seen[i]));
            if (n > 1) {
                b.append("+0x").append(Long.toHexString(step)).append('*').append(n);
            }
            k += n;
        }
        return b.toString();
    }

    static String events(int[] events) {
        if (events.length == 0) {
            return "events -";
        }
        StringBuilder b = new StringBuilder("events ");
        for (int i = 0; i < events.length; i++) {
            b.append(i == 0 ? "" : ",").append(events[i]);
        }
        return b.toString();
    }

    static String digest(MemorySegment arena) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(arena.toArray(ValueLayout.JAVA_BYTE)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    static String escape(String text) {
        return text.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r");
    }
}
