package dev.pvmfw.bench;

import dev.pvmfw.paging.v0_4_0.Attributes;
import dev.pvmfw.paging.v0_4_0.MapException;
import dev.pvmfw.paging.MemoryRegion;
import dev.pvmfw.paging.PhysicalAddress;
import dev.pvmfw.paging.v0_4_0.RootTable;
import dev.pvmfw.paging.TableArena;
import dev.pvmfw.paging.VaRange;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The paging core's speed, in ns per 4 KiB page: (a) mapping 1 GiB page by page, 262,144 single-page
 * {@code mapRange} calls on a fresh level-1 root (so 512 splits with their 0.4.0 garbage fill are included); (b) one
 * {@code modifyRange} over the whole GiB (1 + 1 + 512 + 262,144 callbacks) setting SWFLAG_0 on the pages.
 *
 * <p>Run: see README ("Benchmarks").
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
@State(Scope.Thread)
public class PagingBenchmark {
    static final int PAGES = 262_144;
    static final long GIB = 1L << 30;
    static final Attributes FLAGS = Attributes.of(Attributes.VALID, Attributes.NORMAL);

    TableArena arena;
    RootTable root;
    RootTable mapped;
    TableArena mappedArena;

    @Setup(Level.Invocation)
    public void freshTable() {
        arena = TableArena.create(520);
        root = new RootTable(arena, 1, VaRange.LOWER);
    }

    @TearDown(Level.Invocation)
    public void dropTable() {
        root.close();
        arena.close();
    }

    @Setup(Level.Trial)
    public void mappedGib() throws MapException {
        mappedArena = TableArena.create(520);
        mapped = new RootTable(mappedArena, 1, VaRange.LOWER);
        for (long va = 0; va < GIB; va += 4096) {
            mapped.mapRange(MemoryRegion.of(va, va + 4096), new PhysicalAddress(va), FLAGS);
        }
    }

    @TearDown(Level.Trial)
    public void dropMapped() {
        mapped.close();
        mappedArena.close();
    }

    @Benchmark
    @OperationsPerInvocation(PAGES)
    public RootTable mapOneGibPageByPage() throws MapException {
        for (long va = 0; va < GIB; va += 4096) {
            root.mapRange(MemoryRegion.of(va, va + 4096), new PhysicalAddress(va), FLAGS);
        }
        return root;
    }

    @Benchmark
    @OperationsPerInvocation(PAGES)
    public RootTable modifyRangeOverOneGib() throws MapException {
        mapped.modifyRange(MemoryRegion.of(0, GIB), (range, entry, level) -> {
            if (level == 3) {
                entry.modifyFlags(Attributes.SWFLAG_0, Attributes.empty());
            }
            return true;
        });
        return mapped;
    }
}
