using EmpowerBot.Budget;

namespace EmpowerBot.Tests.Budget;

public sealed class PeriodTests
{
    private static readonly TimeZoneInfo Vancouver = TimeZoneInfo.FindSystemTimeZoneById("America/Vancouver");

    [Fact]
    public void A_minute_before_local_midnight_on_the_last_day_belongs_to_that_month()
    {
        // 2026-11-30 23:59 in Vancouver (PST, UTC-8) is 2026-12-01 07:59 UTC.
        var instant = new DateTimeOffset(2026, 12, 1, 7, 59, 0, TimeSpan.Zero);

        var period = Period.Containing(instant, Vancouver);

        Assert.Equal("2026-11", period.Key);
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 7, 0, 0, TimeSpan.Zero), period.Start); // PDT ended Nov 1 at 02:00
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero), period.End);
        Assert.Equal("November 2026", period.Label);
        Assert.Equal(new DateTime(2026, 11, 30), period.LastDay);
    }

    [Fact]
    public void Local_midnight_starts_the_next_month()
    {
        var period = Period.Containing(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero), Vancouver);

        Assert.Equal("2026-12", period.Key);
        Assert.Equal("2026-11", period.Previous().Key);
    }

    [Fact]
    public void Days_left_count_today()
    {
        var period = Period.Containing(new DateTimeOffset(2026, 11, 30, 20, 0, 0, TimeSpan.Zero), Vancouver);

        Assert.Equal(1, period.DaysLeft(new DateTimeOffset(2026, 11, 30, 20, 0, 0, TimeSpan.Zero)));
    }
}
