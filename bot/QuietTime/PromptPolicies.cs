using EmpowerBot.Conversation;
using Microsoft.Extensions.Options;

namespace EmpowerBot.QuietTime;

/// <summary>Each team's <see cref="PromptPolicy"/>: the root "QuietTime" section with the team's own keys laid over it.</summary>
public sealed class PromptPolicies
{
    private readonly PromptPolicy root;
    private readonly Dictionary<string, PromptPolicy> teams = new(StringComparer.OrdinalIgnoreCase);

    public PromptPolicies(IOptions<QuietTimeOptions> options, IConfiguration configuration)
    {
        root = PromptPolicy.From(options.Value);
        foreach (var (id, merged, _) in TeamSections(configuration)) teams[id] = PromptPolicy.From(merged);
    }

    public PromptPolicy For(Team? team) => team is not null && teams.TryGetValue(team.Id, out var own) ? own : root;

    /// <summary>Teams of Organization:Teams that carry a "QuietTime" section: id, merged options, and the section's key prefix.</summary>
    internal static IEnumerable<(string Id, QuietTimeOptions Merged, IConfigurationSection Section)> TeamSections(IConfiguration configuration)
    {
        foreach (var team in configuration.GetSection("Organization:Teams").GetChildren())
        {
            var section = team.GetSection(QuietTimeOptions.Section);
            if (!section.Exists() || team["Id"] is not { Length: > 0 } id) continue;
            var merged = new QuietTimeOptions();
            configuration.GetSection(QuietTimeOptions.Section).Bind(merged);
            section.Bind(merged);
            yield return (id, merged, section);
        }
    }
}
