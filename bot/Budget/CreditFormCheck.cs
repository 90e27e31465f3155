using System.Text.Json;
using EmpowerBot.Conversation;

namespace EmpowerBot.Budget;

/// <summary>The credit form's inputs checked on submission with the rules <see cref="CreditForm.Read"/> applies.</summary>
public sealed class CreditFormCheck : IFormCheck
{
    public string Command => CreditForm.SubmitCommand;

    public IReadOnlyDictionary<string, string> Check(Person person, JsonElement data) =>
        person.Team is { } team ? CreditForm.FieldProblems(data, team.Currency, team.Policy.Reasons) : new Dictionary<string, string>();
}
