using EmpowerBot.Hosting;
using Microsoft.Extensions.Options;

namespace EmpowerBot.Obstacles;

/// <summary>The "Obstacles" section.</summary>
public sealed class ObstacleOptions : ISettings
{
    /// <summary>An obstacle open this long goes to the customer-service executive (their `org` view and weekly digest).</summary>
    public TimeSpan EscalateAfter { get; set; } = TimeSpan.FromDays(14);

    public IEnumerable<string> Problems()
    {
        if (EscalateAfter < TimeSpan.FromDays(1) || EscalateAfter > TimeSpan.FromDays(365))
            yield return "Obstacles:EscalateAfter must be between 1 day and 365 days.";
    }
}

[OptionsValidator]
internal sealed partial class ObstacleOptionsValidator : IValidateOptions<ObstacleOptions>;
