package dev.pvmfw.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pvmfw.image.DeviceRulesTest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code check --identity --device-by --mair} on the R4 image of {@link DeviceRulesTest}. */
class CheckDeviceRulesTest {

    static ToolRun check(String... options) throws Exception {
        Path img = Files.createTempFile("r4", ".img");
        try {
            Files.write(img, DeviceRulesTest.r4Bytes(0x00c0_0000_0000_9403L));
            String[] args = new String[options.length + 4];
            args[0] = "check";
            args[1] = img.toString();
            args[2] = "--profile";
            args[3] = "0.12.1";
            System.arraycopy(options, 0, args, 4, options.length);
            return ToolRun.of(args);
        } finally {
            Files.deleteIfExists(img);
        }
    }

    @Test
    void identityByMairFlagsOpOnesWordAndReservedAlwaysDoes() throws Exception {
        ToolRun run = check("--identity", "--device-by", "mair");
        assertEquals(1, run.status(), run.err());
        assertTrue(run.out().contains("not-identity: slot 2 index 8 (level 3, VA 0x8000): a valid device leaf whose "
                + "output address 0x0 is not its identity address 0x8000 (device by MAIR: "), run.out());
        assertTrue(run.out().contains("reserved-descriptor: slot 2 index 8 (level 3, VA 0x8000)"), run.out());
        assertTrue(!run.out().contains("not-identity: slot 2 index 9"), run.out());
    }

    @Test
    void withoutIdentityThereIsNoNotIdentityAndAMairWithNormalAttr0MakesTheLazyPagesNotDevice() throws Exception {
        ToolRun run = check("--mair", "0xff");
        assertTrue(!run.out().contains("not-identity"), run.out());
        assertTrue(run.out().contains("lazy-not-device: slot 2 index 10"), run.out());
    }

    @Test
    void aBadDeviceByIsAUsageError() throws Exception {
        ToolRun run = check("--identity", "--device-by", "tag");
        assertEquals(2, run.status());
        assertTrue(run.err().contains("'tag' is not swflag0 or mair"), run.err());
    }
}
