package dev.pvmfw.image;

import dev.pvmfw.paging.PhysicalAddress;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One contiguous piece of a machine's memory in a {@link MemoryDump}.
 *
 * @param pa the PA of its first byte
 * @param bytes its contents (read-only view)
 * @param index the program header it came from (0 for a raw file), for messages
 */
public record DumpSegment(long pa, MemorySegment bytes, int index) {
    /** A segment over a read-only view of {@code bytes}. */
    public DumpSegment {
        bytes = bytes.asReadOnly();
    }

    /** The PA just past its last byte (0 when it ends at 2<sup>64</sup>). */
    public long end() {
        return pa + bytes.byteSize();
    }

    /** {@code segments} sorted by PA. @throws ImageFormatException if two overlap */
    static List<DumpSegment> sortedDisjoint(List<DumpSegment> segments) throws ImageFormatException {
        List<DumpSegment> out = new ArrayList<>(segments);
        out.sort(Comparator.comparing(DumpSegment::pa, Long::compareUnsigned));
        for (int i = 1; i < out.size(); i++) {
            DumpSegment p = out.get(i - 1);
            DumpSegment s = out.get(i);
            if (p.end() == 0 || Long.compareUnsigned(s.pa(), p.end()) < 0) {
                throw new ImageFormatException("overlapping segments: segment " + p.index() + " (PA "
                        + PhysicalAddress.format(p.pa()) + "..) and segment " + s.index() + " (PA "
                        + PhysicalAddress.format(s.pa()) + "..)");
            }
        }
        return out;
    }
}
