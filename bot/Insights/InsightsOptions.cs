using EmpowerBot.Hosting;
using Microsoft.Extensions.Options;

namespace EmpowerBot.Insights;

/// <summary>The "Insights" section: when managers receive the weekly digest, in their team's time zone.</summary>
public sealed class InsightsOptions : ISettings
{
    public bool DigestEnabled { get; set; } = true;

    public DayOfWeek DigestDay { get; set; } = DayOfWeek.Monday;

    public TimeSpan DigestTime { get; set; } = TimeSpan.FromHours(9);

    public IEnumerable<string> Problems()
    {
        if (DigestTime < TimeSpan.Zero || DigestTime >= TimeSpan.FromDays(1)) yield return "Insights:DigestTime must be a time of day, like 09:00.";
    }
}

[OptionsValidator]
internal sealed partial class InsightsOptionsValidator : IValidateOptions<InsightsOptions>;
