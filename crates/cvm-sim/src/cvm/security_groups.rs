//! Security groups on instances: the checks a launch or a change makes, and
//! AssociateSecurityGroups.

use super::{each, targets};
use crate::error::{ApiError, ApiResult};
use crate::msg::{self, Thing};
use crate::params::Params;
use crate::toolkit::{Env, well_formed};
use crate::world::{RegionState, State};
use serde_json::{Value, json};

pub fn check_security_groups(r: &RegionState, sgs: &[String]) -> ApiResult<()> {
    if sgs.len() > 5 {
        return Err(ApiError::new(
            "LimitExceeded.AssociateUSGLimitExceeded",
            msg::sg_per_instance(),
        ));
    }
    for sg in sgs {
        if !well_formed(sg, "sg") {
            return Err(ApiError::new(
                "InvalidSgId.Malformed",
                msg::malformed(Thing::SecurityGroup, &sg),
            ));
        }
        if !r.security_groups.iter().any(|s| &s.id == sg) {
            return Err(ApiError::new(
                "InvalidSecurityGroupId.NotFound",
                msg::not_found(Thing::SecurityGroup, &sg),
            ));
        }
    }
    Ok(())
}

pub fn associate_security_groups(env: &mut Env, p: &Params) -> ApiResult<Value> {
    p.only(&["SecurityGroupIds", "InstanceIds"])?;
    let sgs = p.str_list_req("SecurityGroupIds")?;
    if sgs.len() != 1 {
        return Err(ApiError::new(
            "InvalidParameterValue.LimitExceeded",
            msg::one_security_group(),
        ));
    }
    let ids = targets(env, p, 100)?;
    let r = env.region();
    check_security_groups(r, &sgs)?;
    for i in each(r, &ids) {
        if matches!(i.state, State::Pending) {
            return Err(ApiError::state("Pending", &i.id));
        }
        if i.security_group_ids.len() >= 5 && !i.security_group_ids.contains(&sgs[0]) {
            return Err(ApiError::new(
                "LimitExceeded.AssociateUSGLimitExceeded",
                msg::sg_per_instance(),
            ));
        }
    }
    for id in &ids {
        if let Some(i) = r.get_mut(id)
            && !i.security_group_ids.contains(&sgs[0])
        {
            i.security_group_ids.push(sgs[0].clone());
        }
    }
    Ok(json!({}))
}
