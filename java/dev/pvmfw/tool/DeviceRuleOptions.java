package dev.pvmfw.tool;

import dev.pvmfw.image.DeviceRules;
import dev.pvmfw.mmu.MmuConfig;
import picocli.CommandLine.Option;

/**
 * {@code check}'s optional device rules ({@link DeviceRules}): {@code --identity}, {@code --device-by} and the MAIR
 * that decides what is Device memory ({@code --mair}, which also applies to {@code lazy-not-device}).
 */
final class DeviceRuleOptions {
    @Option(names = "--identity", description = "not-identity: a valid device leaf must map its own address "
            + "(an identity map, as pvmfw's; leave off for LinearMap images)")
    boolean identity;

    @Option(names = "--device-by", paramLabel = "HOW", defaultValue = "swflag0",
            converter = DeviceByConverter.class,
            description = "what makes a leaf device memory for --identity: swflag0 (pvmfw's MMIO_LAZY_MAP_FLAG, bit "
                    + "55) or mair (AttrIndx selects a Device attribute in the MAIR) (default: ${DEFAULT-VALUE})")
    DeviceRules.DeviceBy deviceBy;

    @Option(names = "--mair", paramLabel = "VALUE", converter = Converters.Number.class,
            description = "MAIR_EL1 the image is read with (default: pvmfw's 0xff04: Attr0 Device-nGnRE, Attr1 "
                    + "Normal write-back)")
    Long mair;

    /** The rules asked for. */
    DeviceRules rules() {
        return new DeviceRules(identity, deviceBy);
    }

    /** {@code config} with {@code --mair} if given. */
    MmuConfig apply(MmuConfig config) {
        return mair == null ? config : config.withMair(mair);
    }

    /** {@code swflag0} or {@code mair}. */
    static final class DeviceByConverter implements picocli.CommandLine.ITypeConverter<DeviceRules.DeviceBy> {
        @Override
        public DeviceRules.DeviceBy convert(String value) {
            return switch (value) {
                case "swflag0" -> DeviceRules.DeviceBy.SWFLAG_0;
                case "mair" -> DeviceRules.DeviceBy.MAIR;
                default -> throw new picocli.CommandLine.TypeConversionException("'"
                        + dev.pvmfw.paging.NumberText.echo(value) + "' is not swflag0 or mair");
            };
        }
    }
}
