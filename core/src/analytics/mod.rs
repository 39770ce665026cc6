//! Pure rules of the owner's view (segments, RFM, tiers, birthdays, due
//! back, Pareto), given member histories and `now`. No SQL here: the store
//! (`store::owner`) feeds these functions.
