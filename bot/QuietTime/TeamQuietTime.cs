using Microsoft.Extensions.Options;

namespace EmpowerBot.QuietTime;

/// <summary>
/// Each team's quiet-time settings as named options, the name being the team's id: the root "QuietTime" section with
/// the keys of the team's own "QuietTime" section (in Organization:Teams) laid over it. The root's own settings are the
/// default name, bound as every other section is.
/// </summary>
public sealed class TeamQuietTime(IConfiguration configuration) : IConfigureNamedOptions<QuietTimeOptions>
{
    public void Configure(string? name, QuietTimeOptions options)
    {
        if (string.IsNullOrEmpty(name)) return;
        configuration.GetSection(QuietTimeOptions.Section).Bind(options);
        if (Sections(configuration).FirstOrDefault(t => string.Equals(t.Id, name, StringComparison.OrdinalIgnoreCase)).Section is not { } section) return;
        section.Bind(options);
        options.Path = section.Path;
        options.MisplacedKeys = QuietTimeOptions.RootOnly.Where(key => section[key] is not null).ToList();
    }

    public void Configure(QuietTimeOptions options) => Configure(Options.DefaultName, options);

    /// <summary>The teams of Organization:Teams that carry their own "QuietTime" section: id and section.</summary>
    public static IEnumerable<(string Id, IConfigurationSection Section)> Sections(IConfiguration configuration)
    {
        foreach (var team in configuration.GetSection("Organization:Teams").GetChildren())
        {
            var section = team.GetSection(QuietTimeOptions.Section);
            if (section.Exists() && team["Id"] is { Length: > 0 } id) yield return (id, section);
        }
    }
}
